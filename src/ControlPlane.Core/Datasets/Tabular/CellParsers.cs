using System.Globalization;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>How the profiler reads a raw cell as each feature type. Invariant culture only: "1234.5", never "1.234,5".</summary>
internal static class CellParsers
{
    private static readonly string[] BooleanTokens = ["true", "false", "yes", "no", "y", "n", "1", "0"];

    /// <summary>The index of the cell's spelling in true/false/yes/no/y/n/1/0 (case-insensitive), or -1.</summary>
    public static int BooleanSpelling(ReadOnlySpan<char> cell)
    {
        if (cell.Length > 5)
        {
            return -1;
        }

        for (var i = 0; i < BooleanTokens.Length; i++)
        {
            if (cell.Equals(BooleanTokens[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Invariant decimal or exponent notation without thousands separators; NaN and infinities do not count.</summary>
    public static bool TryNumber(ReadOnlySpan<char> cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>
    /// ISO-8601 dates and date-times ("2026-03-01", "2026-03-01T12:00:00Z", with fractions or offsets) and
    /// "yyyy-MM-dd HH:mm:ss". The yyyy-MM-dd prefix is checked first: it rejects most non-dates cheaply and keeps
    /// the culture parser from accepting things like "3/4" or "May 5". Values without an offset are taken as UTC.
    /// </summary>
    public static bool TryDateTime(ReadOnlySpan<char> cell, out DateTime value)
    {
        value = default;
        return cell.Length is >= 10 and <= 35
            && cell[4] == '-' && cell[7] == '-'
            && char.IsAsciiDigit(cell[0]) && char.IsAsciiDigit(cell[3]) && char.IsAsciiDigit(cell[5]) && char.IsAsciiDigit(cell[9])
            && (cell.Length == 10 || cell[10] is 'T' or ' ')
            && DateTime.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);
    }
}
