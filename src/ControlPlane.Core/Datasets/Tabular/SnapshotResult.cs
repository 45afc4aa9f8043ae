namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// What a snapshot holds. <see cref="Misfits"/> counts, per column, the cells that were present but did not parse
/// as the column's type and were stored as missing; whether that is acceptable is the validator's decision.
/// </summary>
public sealed record SnapshotResult(long Rows, int RowGroups, IReadOnlyDictionary<string, long> Misfits);
