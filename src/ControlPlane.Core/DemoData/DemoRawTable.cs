using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.ML.Rules;

namespace ControlPlane.Core.DemoData;

/// <summary>
/// A demo dataset as a dataset version holds it: its CSV profiled with the upload's type inference, written to a typed
/// Parquet snapshot and read back, so every column has the type and the values an uploaded copy's snapshot would give
/// (no type overrides).
/// </summary>
public static class DemoRawTable
{
    /// <param name="maxRows">Only the first rows are read back; null reads all.</param>
    public static async Task<RawTable> ReadAsync(DemoDataset dataset, int? maxRows = null, CancellationToken ct = default)
    {
        var profile = await ProfileAsync(dataset, ct);
        using var snapshot = new MemoryStream();
        await using (var reader = await OpenAsync(dataset, ct))
        {
            await ParquetSnapshotWriter.WriteAsync(snapshot, profile.Columns.Select(c => (c.Name, c.Type)).ToArray(), reader, ct);
        }

        snapshot.Position = 0;
        return await SnapshotReader.ReadAsync(snapshot, null, maxRows, ct);
    }

    /// <summary>The dataset's CSV profiled as an upload is: each column's name and inferred type.</summary>
    public static async Task<TableProfile> ProfileAsync(DemoDataset dataset, CancellationToken ct = default)
    {
        await using var reader = await OpenAsync(dataset, ct);
        return await ColumnProfiler.ProfileAsync(reader, ct: ct);
    }

    private static async Task<ITableReader> OpenAsync(DemoDataset dataset, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var csv = new MemoryStream();
        dataset.WriteCsv(csv);
        csv.Position = 0;
        return await CsvTableReader.OpenAsync(csv, ct);
    }
}
