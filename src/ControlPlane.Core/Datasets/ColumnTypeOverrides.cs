using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.ML;

namespace ControlPlane.Core.Datasets;

/// <summary>
/// The column types a tenant sets at upload instead of the inferred ones, sent as a JSON object of column name → type
/// name (<c>{"Zip Code":"category"}</c>); type names are those of <see cref="FeatureType"/>, in any case.
/// </summary>
public static class ColumnTypeOverrides
{
    public const string Field = "types";

    public static string TypeNames => string.Join(", ", Enum.GetNames<FeatureType>().Select(n => n.ToLowerInvariant()));

    /// <summary>Null or blank text means no overrides.</summary>
    public static Result<IReadOnlyDictionary<string, FeatureType>> Parse(string? json)
    {
        var types = new Dictionary<string, FeatureType>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return Result<IReadOnlyDictionary<string, FeatureType>>.Ok(types);

        Dictionary<string, JsonElement>? raw;
        try
        {
            raw = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json);
        }
        catch (JsonException ex)
        {
            return Invalid($"The type overrides must be a JSON object of column name → type name, e.g. {{\"Zip Code\":\"category\"}}: {ex.Message}");
        }

        var errors = new ValidationErrors();
        foreach (var (column, value) in raw ?? [])
        {
            if (value.ValueKind == JsonValueKind.String && TryType(value.GetString(), out var type)) types[column] = type;
            else errors.Add(Field, $"Column '{column}' has type {value.GetRawText()}, which is not one of {TypeNames}.");
        }
        return errors.Any ? Result<IReadOnlyDictionary<string, FeatureType>>.Invalid(errors) : Result<IReadOnlyDictionary<string, FeatureType>>.Ok(types);
    }

    public static bool TryType(string? name, out FeatureType type)
    {
        type = default;
        // Enum.TryParse would also take "1" or "0, 2"; only names are types.
        return name is { Length: > 0 } && name.All(char.IsAsciiLetter) && Enum.TryParse(name, ignoreCase: true, out type);
    }

    /// <summary>An error naming the overridden columns the file does not have.</summary>
    public static string? UnknownColumns(IReadOnlyDictionary<string, FeatureType> types, IEnumerable<string> columns, string fileName)
    {
        var names = columns.ToArray();
        var unknown = types.Keys.Where(k => !names.Contains(k, StringComparer.Ordinal)).ToArray();
        return unknown.Length == 0 ? null
            : $"The type overrides name {(unknown.Length == 1 ? "a column" : "columns")} that file '{fileName}' does not have: " +
              $"{string.Join(", ", unknown.Select(u => $"'{u}'"))}. Its columns are {string.Join(", ", names.Select(n => $"'{n}'"))}.";
    }

    private static Result<IReadOnlyDictionary<string, FeatureType>> Invalid(string message) =>
        Result<IReadOnlyDictionary<string, FeatureType>>.Invalid(Field, message);
}
