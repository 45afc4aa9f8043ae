using System.Globalization;
using System.Text.Json;
using ControlPlane.ML.Rules;

namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>The prediction log's inputs (JSON objects in the tenant's column names) read back into typed columns.</summary>
public static class LoggedInputs
{
    /// <summary>The inputs as columns of <paramref name="columns"/>; other properties are ignored; a value that does not fit its column's type is read as missing.</summary>
    public static RawTable Read(IReadOnlyList<string> inputs, IReadOnlyList<RawColumn> columns)
    {
        var table = columns.Select(c => RawTableColumn.Missing(c.Name, c.Type, inputs.Count)).ToArray();
        var index = columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        for (var r = 0; r < inputs.Count; r++)
        {
            using var json = Parse(inputs[r]);
            if (json?.RootElement.ValueKind != JsonValueKind.Object)
            {
                continue; // unreadable: the row's values stay missing
            }

            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (index.TryGetValue(property.Name, out var c))
                {
                    Set(table[c].Values, r, property.Value);
                }
            }
        }

        return new RawTable(table);
    }

    private static JsonDocument? Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Set(Array values, int r, JsonElement value)
    {
        switch (values)
        {
            case double?[] numbers:
                numbers[r] = value.ValueKind switch
                {
                    JsonValueKind.Number => value.GetDouble(),
                    JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
                    _ => null,
                };
                break;
            case bool?[] flags:
                flags[r] = value.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null };
                break;
            case DateTime?[] times:
                times[r] = value.ValueKind == JsonValueKind.String && DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : null;
                break;
            case string?[] texts:
                texts[r] = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                    _ => null,
                };
                break;
        }
    }
}
