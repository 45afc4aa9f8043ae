using System.Text;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>Writes any <see cref="ITableReader"/> as RFC 4180 CSV, batch by batch.</summary>
public static class CsvTableWriter
{
    /// <summary>Copies every row; <paramref name="onRow"/> sees each one before it is written. Returns the row count.</summary>
    public static async Task<long> WriteAsync(ITableReader reader, Stream output, Action<string?[]>? onRow = null, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 65536, leaveOpen: true) { NewLine = "\n" };
        await writer.WriteLineAsync(string.Join(',', reader.Columns.Select(Quote)));
        var batch = new RowBatch();
        long rows = 0;
        while (await reader.ReadBatchAsync(batch, ct) is var count and > 0)
        {
            for (var r = 0; r < count; r++)
            {
                onRow?.Invoke(batch.Rows[r]);
                await writer.WriteLineAsync(string.Join(',', batch.Rows[r].Select(c => c is null ? "" : Quote(c))));
            }

            rows += count;
        }

        return rows;
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || cell.Length == 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
