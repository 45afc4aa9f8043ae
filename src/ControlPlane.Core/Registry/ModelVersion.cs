using ControlPlane.Core.Datasets;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.ML;

namespace ControlPlane.Core.Registry;

/// <summary>
/// One trained model with its full lineage. An <see cref="ModelVersionKinds.Own"/> version belongs to one enrollment and
/// is numbered 1, 2, … per enrollment; a <see cref="ModelVersionKinds.Pooled"/> version is trained on several tenants of
/// one use case in one region, has no enrollment, is numbered per use case × region, and lists its tenants' dataset and
/// rules versions in <see cref="PooledLineageJson"/>. The artifact lives in the region's store, the report beside it as JSON.
/// </summary>
public sealed class ModelVersion
{
    public Guid Id { get; set; }
    public string Kind { get; set; } = ModelVersionKinds.Own;

    /// <summary>The numbering line: <see cref="ModelLines.ForEnrollment"/> or <see cref="ModelLines.ForPool"/>; (Line, Number) is unique.</summary>
    public required string Line { get; set; }

    /// <summary>1, 2, … per line.</summary>
    public int Number { get; set; }

    /// <summary>Null for a pooled version.</summary>
    public Guid? EnrollmentId { get; set; }
    public Enrollment? Enrollment { get; set; }

    public Guid UseCaseId { get; set; }
    public UseCase? UseCase { get; set; }

    /// <summary>The region whose store holds the artifact: the tenant's home region, or the pool's region.</summary>
    public required string Region { get; set; }

    public TaskType Task { get; set; }

    // Lineage of an own version (null for pooled ones).
    public Guid? DatasetVersionId { get; set; }
    public DatasetVersion? DatasetVersion { get; set; }
    public int? DatasetVersionNumber { get; set; }
    public string? DatasetSha256 { get; set; }
    public int? RulesVersionNumber { get; set; }

    /// <summary>Pooled versions: JSON array of <see cref="PooledSource"/>, one per tenant trained on.</summary>
    public string? PooledLineageJson { get; set; }

    public required string Trainer { get; set; }

    /// <summary>JSON object name → value, as in the report.</summary>
    public string HyperparametersJson { get; set; } = "{}";
    public int Seed { get; set; }

    /// <summary>The <see cref="ML.Training.ModelReport"/> as JSON.</summary>
    public required string ReportJson { get; set; }

    public required string HeadlineMetric { get; set; }

    /// <summary>The headline on the test rows; null when it cannot be measured there (one class among a tiny tenant's test rows).</summary>
    public double? HeadlineValue { get; set; }

    /// <summary>The headline's 95 % bootstrap interval on the test rows, when measured.</summary>
    public double? HeadlineLow { get; set; }

    /// <inheritdoc cref="HeadlineLow"/>
    public double? HeadlineHigh { get; set; }

    public bool HigherIsBetter { get; set; }

    /// <summary>The version's leakage checks suspected a leak: it is never promoted automatically.</summary>
    public bool LeakSuspected { get; set; }

    /// <summary>ML.NET's assembly version.</summary>
    public required string LibraryVersion { get; set; }

    /// <summary>The app's informational version (with the commit when the build knows it).</summary>
    public required string CodeVersion { get; set; }

    public TimeSpan TrainingDuration { get; set; }

    /// <summary>CPU seconds the process spent while the training ran (<see cref="ML.Training.ModelReport.TrainingCpu"/>); null before it was measured.</summary>
    public double? TrainingCpuSeconds { get; set; }
    public required string TriggeredBy { get; set; }
    public Guid? RunId { get; set; }

    public required string ArtifactPath { get; set; }
    public required string ArtifactSha256 { get; set; }
    public long ArtifactSize { get; set; }

    /// <summary>SHA-256 over the test predictions (see the report): equal fingerprints mean identical predictions.</summary>
    public required string PredictionFingerprint { get; set; }

    /// <summary>
    /// Own versions: whether this enrollment should be served by this version or by the pooled model
    /// (<see cref="ServingChoices"/>), null when no pooled model was considered.
    /// </summary>
    public string? ServingChoice { get; set; }
    public string? ServingReason { get; set; }

    /// <summary>The pooled version this one was compared with.</summary>
    public Guid? PooledVersionId { get; set; }
    public ModelVersion? PooledVersion { get; set; }

    /// <summary>The pooled model's headline metric on this version's test split (the same data as <see cref="HeadlineValue"/>).</summary>
    public double? PooledHeadlineValue { get; set; }

    public DateTime CreatedAt { get; set; }
}

public static class ModelVersionKinds
{
    public const string Own = "own";
    public const string Pooled = "pooled";
}

public static class ServingChoices
{
    public const string Own = "own";
    public const string Pooled = "pooled";
}

/// <summary>The numbering lines of model versions.</summary>
public static class ModelLines
{
    public static string ForEnrollment(Guid enrollmentId) => $"enrollment/{enrollmentId:N}";

    public static string ForPool(Guid useCaseId, string region) => $"pooled/{useCaseId:N}/{region}";
}

/// <summary>One tenant's data in a pooled model.</summary>
public sealed record PooledSource(string Tenant, Guid DatasetVersionId, int DatasetVersionNumber, string DatasetSha256, int RulesVersionNumber);
