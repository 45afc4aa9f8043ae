using ControlPlane.Core.Tenants;

namespace ControlPlane.Core.Predictions;

/// <summary>
/// A request to score a historical date range of an enrollment, day by day: each day's rows (by event time) of the
/// chosen dataset version, scored with a fixed model version or with the version that was champion at each row's time.
/// Its days are <see cref="PredictionPartition"/>s; a run resumed after a crash skips the days already written.
/// </summary>
public sealed class Backfill
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public Enrollment? Enrollment { get; set; }
    public Guid RunId { get; set; }

    /// <summary>First day (UTC midnight), inclusive.</summary>
    public DateTime From { get; set; }

    /// <summary>Last day (UTC midnight), inclusive.</summary>
    public DateTime To { get; set; }

    /// <summary>The fixed version's id; null for "the version live at each date".</summary>
    public Guid? ModelVersionId { get; set; }

    public Guid DatasetVersionId { get; set; }

    public required string CreatedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}
