using ControlPlane.Core.Tenants;

namespace ControlPlane.Core.Datasets;

/// <summary>
/// One immutable version of an enrollment's data: the raw file as uploaded and its typed Parquet snapshot, both in the
/// tenant's region store, with the inferred schema and profile. The same raw bytes (by SHA-256) are one version.
/// </summary>
public sealed class DatasetVersion
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public Enrollment? Enrollment { get; set; }

    /// <summary>1, 2, … per enrollment.</summary>
    public int Number { get; set; }

    public required string Sha256 { get; set; }
    public required string FileName { get; set; }
    public string SourceKind { get; set; } = DatasetSourceKinds.Upload;
    public required string RawPath { get; set; }
    public required string SnapshotPath { get; set; }
    public required string Region { get; set; }
    public long RowCount { get; set; }
    public int ColumnCount { get; set; }
    public DateTime? TimeFrom { get; set; }
    public DateTime? TimeTo { get; set; }

    /// <summary>JSON array of <see cref="DatasetColumn"/>.</summary>
    public required string SchemaJson { get; set; }

    /// <summary>The <see cref="Tabular.TableProfile"/> as JSON.</summary>
    public required string ProfileJson { get; set; }

    /// <summary>Outcome of the validation run when the version was made: one of <see cref="ValidationOutcomes"/>.</summary>
    public string ValidationOutcome { get; set; } = ValidationOutcomes.Unchecked;

    /// <summary>The validation report as JSON; null until the version has been validated.</summary>
    public string? ValidationJson { get; set; }

    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

public static class ValidationOutcomes
{
    public const string Unchecked = "unchecked";
    public const string Passed = "passed";
    public const string Warnings = "warnings";
    public const string Blocked = "blocked";
}

public static class DatasetSourceKinds
{
    public const string Upload = "upload";
    public const string Sql = "sql";
    public const string Path = "path";
}
