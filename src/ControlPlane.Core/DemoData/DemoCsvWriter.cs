using System.Buffers;

namespace ControlPlane.Core.DemoData;

/// <summary>
/// RFC 4180 fields with LF record ends: one fixed line ending keeps output byte-identical on every OS,
/// and the product's importer and spreadsheet tools accept it.
/// </summary>
internal static class DemoCsvWriter
{
    private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create(",\"\r\n");

    public static void WriteRecord(TextWriter writer, ReadOnlySpan<string?> fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            WriteField(writer, fields[i]);
        }

        writer.Write('\n');
    }

    public static void WriteField(TextWriter writer, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var span = value.AsSpan();
        if (span.IndexOfAny(NeedsQuoting) < 0)
        {
            writer.Write(span);
            return;
        }

        writer.Write('"');
        int quote;
        while ((quote = span.IndexOf('"')) >= 0)
        {
            writer.Write(span[..(quote + 1)]);
            writer.Write('"');
            span = span[(quote + 1)..];
        }

        writer.Write(span);
        writer.Write('"');
    }
}
