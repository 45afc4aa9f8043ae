using System.Globalization;
using System.Text.Json;

namespace ControlPlane.Core.Serving;

/// <summary>
/// One JSON value read as a typed cell of a row, the way predict requests give them (and the prediction log keeps them):
/// null when the value does not fit the type. Callers decide whether that is an error (a request) or a missing value
/// (a logged row read back for drift).
/// </summary>
internal static class JsonCells
{
    /// <summary>A finite JSON number; with <paramref name="textAllowed"/> (identifier columns) also a number written as text.</summary>
    public static double? Number(JsonElement value, bool textAllowed) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d) => d,
        JsonValueKind.String when textAllowed && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };

    public static bool? Flag(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>An ISO 8601 date-time string, as UTC (a time without an offset counts as UTC).</summary>
    public static DateTime? Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>A string as it is, a number or boolean as its JSON text; null for null, objects and arrays.</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };
}
