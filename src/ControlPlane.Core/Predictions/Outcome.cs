namespace ControlPlane.Core.Predictions;

/// <summary>An actual outcome (a late label) for an entity, sent through <c>POST /api/v1/feedback/{tenant}/{useCase}</c>.</summary>
public sealed class Outcome
{
    public long Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public required string EntityKey { get; set; }

    /// <summary>Binary "true"/"false", multiclass the class, regression the value as invariant text.</summary>
    public required string Label { get; set; }

    /// <summary>When the outcome happened (defaults to when it was received).</summary>
    public DateTime OccurredAt { get; set; }

    public DateTime ReceivedAt { get; set; }
}
