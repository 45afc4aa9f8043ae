namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>Delimiter detection and header checks for <see cref="CsvTableReader"/>.</summary>
internal static class CsvHeader
{
    /// <summary>
    /// Comma unless the header line has none; then semicolon (spreadsheets in decimal-comma locales) or tab.
    /// Only the header is looked at, because data rows may contain any of them inside text.
    /// </summary>
    public static char DetectDelimiter(ReadOnlySpan<char> firstLine)
    {
        if (firstLine.Contains(','))
        {
            return ',';
        }

        if (firstLine.Contains(';'))
        {
            return ';';
        }

        return firstLine.Contains('\t') ? '\t' : ',';
    }

    /// <summary>
    /// Names are trimmed and compared ignoring case: "Amount" and "amount" side by side could not be told apart
    /// when the tenant maps columns, so they are rejected like exact duplicates.
    /// </summary>
    public static string[] Validate(string?[] cells)
    {
        var names = new string[cells.Length];
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < cells.Length; i++)
        {
            var name = cells[i]?.Trim();
            if (string.IsNullOrEmpty(name))
            {
                throw new TableFormatException($"Line 1: column {i + 1} of the header has no name.", 1);
            }

            if (seen.TryGetValue(name, out var first))
            {
                throw new TableFormatException(
                    $"Line 1: the header names '{name}' twice (columns {first + 1} and {i + 1}); column names must be unique.", 1, name);
            }

            seen[name] = i;
            names[i] = name;
        }

        return names;
    }
}
