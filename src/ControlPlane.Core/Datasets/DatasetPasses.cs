using ControlPlane.ML;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;

namespace ControlPlane.Core.Datasets;

/// <summary>The two reads of a stored raw file: profiling it, then writing its typed Parquet snapshot.</summary>
internal static class DatasetPasses
{
    public static IReadOnlyList<string> Extensions => TenantValidation.AllowedUploadExtensions;

    public static async Task<TableProfile> ProfileAsync(
        IArtifactStore store, string rawPath, string extension, IReadOnlyDictionary<string, FeatureType> types, CancellationToken ct)
    {
        await using var raw = await OpenRawAsync(store, rawPath, ct);
        await using var reader = await OpenReaderAsync(raw, extension, ct);
        return await ColumnProfiler.ProfileAsync(reader, types, ct: ct);
    }

    /// <summary>Writes the snapshot to <paramref name="output"/> (seekable) from a second read of the raw file.</summary>
    public static async Task<SnapshotResult> SnapshotAsync(
        IArtifactStore store, string rawPath, string extension, TableProfile profile, Stream output, CancellationToken ct)
    {
        await using var raw = await OpenRawAsync(store, rawPath, ct);
        await using var reader = await OpenReaderAsync(raw, extension, ct);
        var schema = profile.Columns.Select(c => (c.Name, c.Type)).ToArray();
        return await ParquetSnapshotWriter.WriteAsync(output, schema, reader, ct);
    }

    /// <summary>A local scratch file for the snapshot: the Parquet writer needs to seek, the store only takes a stream.</summary>
    public static FileStream ScratchFile() => new(
        Path.Combine(Path.GetTempPath(), $"cp-snapshot-{Guid.NewGuid():N}.parquet"), FileMode.CreateNew, FileAccess.ReadWrite,
        FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);

    private static async Task<Stream> OpenRawAsync(IArtifactStore store, string path, CancellationToken ct) =>
        await store.OpenReadAsync(path, ct) ?? throw new InvalidOperationException($"The stored upload '{path}' is missing.");

    private static async Task<ITableReader> OpenReaderAsync(Stream raw, string extension, CancellationToken ct) =>
        extension == ".csv" ? await CsvTableReader.OpenAsync(raw, ct) : await ParquetTableReader.OpenAsync(raw, ct);
}
