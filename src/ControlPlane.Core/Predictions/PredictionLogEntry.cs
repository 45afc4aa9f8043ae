namespace ControlPlane.Core.Predictions;

/// <summary>
/// A sampled prediction with the inputs it was made from, kept for monitoring (drift of inputs and outputs) and joined
/// to late labels (<see cref="Outcome"/>).
/// </summary>
public sealed class PredictionLogEntry
{
    public long Id { get; set; }
    public Guid EnrollmentId { get; set; }

    /// <summary>One of <see cref="PredictionSources"/>.</summary>
    public required string Source { get; set; }

    public DateTime At { get; set; }
    public string? EntityKey { get; set; }
    public Guid ModelVersionId { get; set; }
    public double Score { get; set; }
    public string? Label { get; set; }

    /// <summary>The row as given, in the tenant's column names (JSON object).</summary>
    public required string Inputs { get; set; }
}

public static class PredictionSources
{
    public const string RealTime = "realtime";
    public const string Batch = "batch";
}
