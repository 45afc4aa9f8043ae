namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>Finds the end of a quoted CSV field, skipping "" escapes, without copying anything.</summary>
internal static class CsvQuotedField
{
    public const int NeedMore = -1;
    public const int Unclosed = -2;

    /// <summary>Index of the closing quote of a field whose content starts at <paramref name="from"/>.</summary>
    public static int FindClose(ReadOnlySpan<char> chars, int from, bool inputDone, out bool escaped)
    {
        escaped = false;
        var q = from;
        while (true)
        {
            var k = q < chars.Length ? chars[q..].IndexOf('"') : -1;
            if (k < 0)
            {
                return inputDone ? Unclosed : NeedMore;
            }

            k += q;
            if (k + 1 >= chars.Length)
            {
                // A quote at the end of the window may be the first half of "".
                return inputDone ? k : NeedMore;
            }

            if (chars[k + 1] != '"')
            {
                return k;
            }

            escaped = true;
            q = k + 2;
        }
    }
}
