using ControlPlane.Core.Registry;
using ControlPlane.Core.Tenants;

namespace ControlPlane.Core.Predictions;

/// <summary>
/// One unit of written predictions: a batch score of a dataset version, or one day of a backfill. Its predictions are
/// written, and the partition it replaces (same enrollment and <see cref="Key"/>) is emptied, in one transaction, so a
/// reader sees either the old predictions or the new ones, never half of them and never both.
/// </summary>
public sealed class PredictionPartition
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public Enrollment? Enrollment { get; set; }

    /// <summary>One of <see cref="PredictionKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>What the partition covers; a newer completed partition with the same key replaces this one. <c>batch:{dataset version id}</c> or <c>day:2026-11-26</c>.</summary>
    public required string Key { get; set; }

    /// <summary>The backfill that planned this partition; null for a batch score.</summary>
    public Guid? BackfillId { get; set; }
    public Backfill? Backfill { get; set; }

    /// <summary>The run that wrote (or is to write) it.</summary>
    public Guid RunId { get; set; }

    /// <summary>A backfill partition's day (UTC midnight); null for a batch score.</summary>
    public DateTime? Day { get; set; }

    public Guid DatasetVersionId { get; set; }

    /// <summary>The versions that scored its rows, comma-separated "own v3" style labels (a day may straddle a promotion).</summary>
    public string? Models { get; set; }

    /// <summary>One of <see cref="PartitionStates"/>.</summary>
    public string State { get; set; } = PartitionStates.Pending;

    public long RowCount { get; set; }

    /// <summary>Rows of the partition that were not scored, e.g. because no model was live at their time.</summary>
    public long SkippedRows { get; set; }

    /// <summary>Why rows were skipped, or why the partition failed.</summary>
    public string? Note { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public static class PredictionKinds
{
    public const string Batch = "batch";
    public const string Backfill = "backfill";

    /// <summary>A walk-forward backtest's day: scored by a model trained only on the rows before its period (decision 0052).</summary>
    public const string Backtest = "backtest";
}

public static class PartitionStates
{
    public const string Pending = "pending";
    public const string Running = "running";

    /// <summary>Written; its predictions are the current ones for its key.</summary>
    public const string Done = "done";

    /// <summary>Was done; a newer partition with the same key replaced its predictions.</summary>
    public const string Replaced = "replaced";

    public const string Failed = "failed";

    /// <summary>Not written because its backfill was cancelled.</summary>
    public const string Cancelled = "cancelled";
}
