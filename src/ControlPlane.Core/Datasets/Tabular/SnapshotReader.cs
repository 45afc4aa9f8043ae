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
    public static Task<RawTable> ReadAsync(IArtifactStore store, string snapshotPath, int? maxRows, CancellationToken ct = default) =>
        ReadAsync(store, snapshotPath, null, maxRows, ct);

    /// <param name="columns">The columns to read, in snapshot order; null reads all. Names not in the snapshot are skipped.</param>
    public static async Task<RawTable> ReadAsync(
        IArtifactStore store, string snapshotPath, IReadOnlyCollection<string>? columns, int? maxRows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(snapshotPath);

        // Both stores hand out seekable streams (a file or a byte array), which the Parquet footer needs.
        await using var stream = await store.OpenReadAsync(snapshotPath, ct)
            ?? throw new FileNotFoundException($"The snapshot '{snapshotPath}' is not in the {store.Region} store.", snapshotPath);
        return await ReadAsync(stream, columns, maxRows, ct);
    }

    /// <param name="snapshot">Readable and seekable; left open.</param>
    public static async Task<RawTable> ReadAsync(Stream snapshot, IReadOnlyCollection<string>? columns, int? maxRows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (maxRows is < 0) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "The number of rows to read cannot be negative.");

        await using var reader = await ParquetReader.CreateAsync(snapshot, leaveStreamOpen: true, cancellationToken: ct);
        var types = SnapshotTypes.Parse(reader.CustomMetadata);
        var wanted = reader.Schema.DataFields.Where(f => columns is null || columns.Contains(f.Name));
        var readers = wanted.Select(f => SnapshotColumnReader.For(f, types.TryGetValue(f.Name, out var type) ? type : null)).ToArray();
        var limit = maxRows ?? int.MaxValue;
        var total = 0;
        for (var g = 0; g < reader.RowGroupCount && total < limit; g++)
        {
            using var rowGroup = reader.OpenRowGroupReader(g);
            var rows = checked((int)rowGroup.RowCount);
            var take = Math.Min(rows, limit - total);
            foreach (var column in readers) await column.LoadAsync(rowGroup, rows, take, ct);
            total += take;
        }

        return new RawTable(readers.Select(c => c.ToColumn()).ToArray());
    }
}
