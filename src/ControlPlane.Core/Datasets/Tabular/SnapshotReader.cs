using ControlPlane.Core.Storage;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>Reads a dataset version's typed Parquet snapshot back into columns for the rules compiler and validation.</summary>
public static class SnapshotReader
{
    /// <param name="maxRows">Reads only the first rows: row groups after them are not opened; null reads all.</param>
    /// <exception cref="FileNotFoundException">The snapshot is not in the store.</exception>
    /// <exception cref="TableFormatException">The file is not a snapshot this product wrote (nested or unsupported columns).</exception>
    public static async Task<RawTable> ReadAsync(IArtifactStore store, string snapshotPath, int? maxRows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotPath);
        if (maxRows is < 0) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "The number of rows to read cannot be negative.");

        // Both stores hand out seekable streams (a file or a byte array), which the Parquet footer needs.
        await using var stream = await store.OpenReadAsync(snapshotPath, ct)
            ?? throw new FileNotFoundException($"The snapshot '{snapshotPath}' is not in the {store.Region} store.", snapshotPath);
        await using var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: ct);

        var types = SnapshotTypes.Parse(reader.CustomMetadata);
        var columns = reader.Schema.DataFields.Select(f => SnapshotColumnReader.For(f, types.GetValueOrDefault(f.Name))).ToArray();
        var limit = maxRows ?? int.MaxValue;
        var total = 0;
        for (var g = 0; g < reader.RowGroupCount && total < limit; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var rows = checked((int)rowGroup.RowCount);
            var take = Math.Min(rows, limit - total);
            foreach (var column in columns) await column.LoadAsync(rowGroup, rows, take, ct);
            total += take;
        }

        return new RawTable(columns.Select(c => c.ToColumn()).ToArray());
    }
}
