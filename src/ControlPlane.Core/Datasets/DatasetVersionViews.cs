using ControlPlane.ML;
using System.Text.Json;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Core.UseCases;

namespace ControlPlane.Core.Datasets;

/// <summary>A column of a dataset version: the type it is stored as, what was inferred, and whether someone overrode it.</summary>
public sealed record DatasetColumn(string Name, FeatureType Type, FeatureType InferredType, bool Overridden);

public sealed record DatasetVersionSummary(
    int Number, string FileName, string Sha256, string SourceKind, string Region, long RowCount, int ColumnCount,
    DateTime? TimeFrom, DateTime? TimeTo, string RawPath, string SnapshotPath, DateTime CreatedAt, string CreatedBy,
    string ValidationOutcome)
{
    public static DatasetVersionSummary From(DatasetVersion v) => new(
        v.Number, v.FileName, v.Sha256, v.SourceKind, v.Region, v.RowCount, v.ColumnCount,
        v.TimeFrom, v.TimeTo, v.RawPath, v.SnapshotPath, v.CreatedAt, v.CreatedBy, v.ValidationOutcome);
}

/// <summary>
/// One version in full; <see cref="Validation"/> is null until the version has been validated.
/// <see cref="CurrentRulesVersion"/> is the enrollment's latest rules version now (0: the use case's defaults), to set
/// against the report's <see cref="ValidationReport.RulesVersion"/>.
/// </summary>
public sealed record DatasetVersionDetails(
    DatasetVersionSummary Version, IReadOnlyList<DatasetColumn> Schema, JsonElement Profile, ValidationReport? Validation,
    int CurrentRulesVersion)
{
    /// <summary>The report was made with other rules than the current ones: a re-check may give another outcome.</summary>
    public bool ValidationIsStale => Validation is not null && Validation.RulesVersion != CurrentRulesVersion;

    /// <summary>"Checked against rules v1; rules are now v2." when <see cref="ValidationIsStale"/>, else null.</summary>
    public string? StaleValidationNote => ValidationIsStale
        ? $"Checked against {ValidationReport.ShortRulesName(Validation!.RulesVersion)}; rules are now v{CurrentRulesVersion}."
        : null;
}

/// <summary>The outcome of an upload: a new version, or the existing one when the same bytes were uploaded before.</summary>
public sealed record CreatedDatasetVersion(bool Reused, DatasetVersionSummary Version, IReadOnlyList<DatasetColumn> Schema, ValidationReport? Validation);
