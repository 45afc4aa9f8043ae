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

    /// <summary>One logged value into its column, read as the predict request was (<see cref="Serving.JsonCells"/>); numbers written as text are read too.</summary>
    private static void Set(Array values, int r, JsonElement value)
    {
        switch (values)
        {
            case double?[] numbers:
                numbers[r] = Serving.JsonCells.Number(value, textAllowed: true);
                break;
            case bool?[] flags:
                flags[r] = Serving.JsonCells.Flag(value);
                break;
            case DateTime?[] times:
                times[r] = Serving.JsonCells.Time(value);
                break;
            case string?[] texts:
                texts[r] = Serving.JsonCells.Text(value);
                break;
        }
    }
}
