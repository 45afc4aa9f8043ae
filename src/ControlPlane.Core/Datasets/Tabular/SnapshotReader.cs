using ControlPlane.Core.Storage;
using ControlPlane.ML.Rules;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>Reads a dataset version's typed Parquet snapshot back into columns for the rules compiler and validation.</summary>
public static class SnapshotReader
{
    // CONTRACT STUB — replaced by the real reader.
    /// <param name="maxRows">Reads only the first rows (whole row groups are not needed); null reads all.</param>
    public static Task<RawTable> ReadAsync(IArtifactStore store, string snapshotPath, int? maxRows, CancellationToken ct = default) =>
        throw new NotImplementedException();
}
