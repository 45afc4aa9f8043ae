using ControlPlane.Core.Datasets.Tabular;

namespace ControlPlane.UnitTests.Datasets;

internal static class ParquetTestFiles
{
    public static async Task<List<string?[]>> ReadAllAsync(Stream parquet, int batchSize = RowBatch.DefaultCapacity)
    {
        parquet.Position = 0;
        await using var reader = await ParquetTableReader.OpenAsync(parquet, CancellationToken.None);
        var rows = new List<string?[]>();
        var batch = new RowBatch(batchSize);
        while (await reader.ReadBatchAsync(batch) is var n and > 0)
        {
            Assert.Equal(rows.Count + 1, batch.FirstRow);
            // The reader may reuse row arrays between batches, so copy.
            for (var i = 0; i < n; i++) rows.Add((string?[])batch.Rows[i].Clone());
        }
        return rows;
    }
}
