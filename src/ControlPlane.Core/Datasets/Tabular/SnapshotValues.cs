using System.Globalization;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>Parses raw text cells into a snapshot column's type; false means the cell is present but misfits.</summary>
internal static class SnapshotValues
{
    // ISO-8601 with or without a time, fraction and zone, plus the space-separated form databases export.
    // K accepts "Z", an offset or nothing; a value without a zone is taken as UTC.
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The spellings type inference counts as booleans (true/false, yes/no, y/n, 1/0, any case), so none is lost.</summary>
    public static bool TryBoolean(string text, out bool value)
    {
        var spelling = CellParsers.BooleanSpelling(text.AsSpan().Trim());
        value = spelling >= 0 && spelling % 2 == 0;
        return spelling >= 0;
    }

    public static bool TryInstant(string text, out DateTime value) =>
        DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
