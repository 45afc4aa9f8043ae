using ControlPlane.ML;

namespace ControlPlane.Executor.Pipelines;

/// <summary>What <c>featurize</c> chose for a retrain run, kept in the run folder for the later tasks and the registry.</summary>
public sealed record RetrainLineage(
    Guid DatasetVersionId, int DatasetVersion, string DatasetSha256, string SnapshotPath, string Region, long Rows,
    int RulesVersion, TaskType Task);
