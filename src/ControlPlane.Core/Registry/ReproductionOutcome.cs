namespace ControlPlane.Core.Registry;

/// <summary>
/// What a <c>reproduce</c> run found when it retrained a version on its own lineage (same dataset and rules versions,
/// trainer, hyperparameters and seed): whether the predictions were identical, both fingerprints and how far each test
/// metric moved (new minus stored; all zero when reproduced).
/// </summary>
public sealed record ReproductionOutcome(
    int Version, bool Identical, string StoredFingerprint, string NewFingerprint,
    IReadOnlyDictionary<string, double> MetricDeltas, DateTime At, Guid RunId);
