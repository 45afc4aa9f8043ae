using System.Text;

namespace ControlPlane.UnitTests.DemoData;

/// <summary>A deliberately independent RFC 4180 parser, so the writer is checked against a second implementation.</summary>
internal static class DemoCsvReader
{
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var recordStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    inQuotes = false;
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    recordStarted = true;
                    break;
                case '"':
                    throw new FormatException($"Quote inside an unquoted field at {i}.");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    recordStarted = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add([.. fields]);
                    fields.Clear();
                    recordStarted = false;
                    break;
                default:
                    field.Append(c);
                    recordStarted = true;
                    break;
            }
        }

        if (inQuotes)
        {
            throw new FormatException("Unterminated quoted field.");
        }

        if (recordStarted || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
