using System.Globalization;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>Parses raw text cells into a snapshot column's type; false means the cell is present but misfits.</summary>
internal static class SnapshotValues
{
    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The spellings type inference counts as booleans (true/false, yes/no, y/n, 1/0, any case), so none is lost.</summary>
    public static bool TryBoolean(string text, out bool value)
    {
        var spelling = CellParsers.BooleanSpelling(text.AsSpan().Trim());
        value = spelling >= 0 && spelling % 2 == 0;
        return spelling >= 0;
    }

    /// <summary>The same parser type inference uses, so a column inferred as date-times never loses a cell it counted.</summary>
    public static bool TryInstant(string text, out DateTime value) => CellParsers.TryDateTime(text.AsSpan().Trim(), out value);
}
