using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.ML.Rules;

namespace ControlPlane.IntegrationTests.Serving;

/// <summary>Predict request bodies made of a tenant's raw rows, in its own column names.</summary>
internal static class PredictRows
{
    public static StringContent Body(JsonArray rows) =>
        new(new JsonObject { ["rows"] = rows }.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>Rows <paramref name="from"/>.. of the table as JSON objects in the tenant's own column names.</summary>
    public static JsonArray Rows(RawTable table, int from, int count)
    {
        var rows = new JsonArray();
        for (var r = from; r < from + count; r++)
        {
            var row = new JsonObject();
            foreach (var column in table.Columns)
            {
                row[column.Name] = column.Values switch
                {
                    double?[] numbers => numbers[r] is { } d ? JsonValue.Create(d) : null,
                    bool?[] flags => flags[r] is { } b ? JsonValue.Create(b) : null,
                    DateTime?[] times => times[r] is { } t ? JsonValue.Create(t.ToString("O", CultureInfo.InvariantCulture)) : null,
                    string?[] texts => texts[r] is { } s ? JsonValue.Create(s) : null,
                    _ => null,
                };
            }

            rows.Add(row);
        }

        return rows;
    }
}
