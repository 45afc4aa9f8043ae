using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.ML.Rules;

/// <summary>
/// The JSON form of a rule set: camelCase names and enum values ("oneHot", "dayOfWeek"), unknown properties refused so
/// a misspelt field is an error rather than silently ignored.
/// </summary>
public static class RuleJson
{
    /// <summary>Features and drops in one rule set: as many as a table may have columns (decision 0036).</summary>
    public const int MaxFeatures = 1_000;

    /// <summary>JSON nesting a rule set may have; its own shape needs five levels.</summary>
    public const int MaxDepth = 16;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        MaxDepth = MaxDepth,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string Write(RuleSet rules) => JsonSerializer.Serialize(rules, Options);

    /// <summary>Parses a rule set; a syntax error or unknown field is thrown as a <see cref="RuleError"/> naming where it is.</summary>
    public static RuleSet Parse(string json) => TryParse(json, out var rules, out var error)
        ? rules
        : throw new RuleSetException([error]);

    /// <summary>
    /// Parses a rule set; a syntax error, unknown field or wrong value comes back as a <see cref="RuleError"/> naming
    /// where it is, in the rules' words (an unknown field by name, an enum's allowed values), not .NET's.
    /// </summary>
    public static bool TryParse(string json, out RuleSet rules, out RuleError error)
    {
        try
        {
            rules = JsonSerializer.Deserialize<RuleSet>(string.IsNullOrWhiteSpace(json) ? "{}" : json, Options) ?? new RuleSet();
            error = rules.Features.Count > MaxFeatures
                ? new RuleError("features", $"A rule set may have at most {MaxFeatures:N0} features; this one has {rules.Features.Count:N0}.")
                : rules.Drop.Count > MaxFeatures
                    ? new RuleError("drop", $"A rule set may drop at most {MaxFeatures:N0} columns; this one lists {rules.Drop.Count:N0}.")
                    : null!;
            if (error is not null)
            {
                rules = new RuleSet();
                return false;
            }

            return true;
        }
        catch (JsonException ex)
        {
            rules = new RuleSet();
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "json" : ex.Path.TrimStart('$', '.');
            error = RuleParseMessages.Friendly(new RuleError(path, $"{FirstSentence(ex.Message)}{where}"));
            return false;
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
