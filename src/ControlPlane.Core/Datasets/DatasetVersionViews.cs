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

/// <summary>One version in full; <see cref="Validation"/> is null until the version has been validated.</summary>
public sealed record DatasetVersionDetails(
    DatasetVersionSummary Version, IReadOnlyList<DatasetColumn> Schema, JsonElement Profile, ValidationReport? Validation);

/// <summary>The outcome of an upload: a new version, or the existing one when the same bytes were uploaded before.</summary>
public sealed record CreatedDatasetVersion(bool Reused, DatasetVersionSummary Version, IReadOnlyList<DatasetColumn> Schema, ValidationReport? Validation);
