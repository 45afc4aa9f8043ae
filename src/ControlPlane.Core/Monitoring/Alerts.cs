namespace ControlPlane.Core.Monitoring;

/// <summary>The kinds of alert other features raise; webhook endpoints subscribe to them by these names.</summary>
public static class AlertKinds
{
    public const string Drift = "drift", Decay = "decay", Sla = "sla", Retrain = "retrain", Leak = "leak", Test = "test";

    public static IReadOnlyList<string> All { get; } = [Drift, Decay, Sla, Retrain, Leak, Test];
}

public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>What a feature asks to be told: stored as a notification, shown live, sent to subscribed webhooks.</summary>
/// <param name="Data">Any JSON-serializable detail; it is stored and sent as JSON.</param>
/// <param name="Key">
/// What the alert is about (<see cref="AlertKeys"/>): raised again while its alert is unresolved, that alert is updated
/// and counted instead of a new one added. Null: every raise is a new alert.
/// </param>
/// <param name="UseCase">The use case's key for an alert about a whole use case (without an enrollment, whose own it takes otherwise).</param>
public sealed record AlertRequest(string Kind, AlertSeverity Severity, string Title, string Message,
    Guid? TenantId = null, Guid? EnrollmentId = null, string? Link = null, object? Data = null, string? Key = null, string? UseCase = null);

/// <summary>The keys alerts are deduplicated and resolved by: one open alert per condition.</summary>
public static class AlertKeys
{
    /// <summary>An enrollment's health episode (drift, or failing by the model's age).</summary>
    public static string Health(Guid enrollmentId) => $"health:{enrollmentId:N}";

    public static string Decay(Guid enrollmentId) => $"decay:{enrollmentId:N}";

    /// <summary>One SLA of an enrollment (model-age, batch-deadline, predict-p99): missed again on later days, the same alert counts up.</summary>
    public static string Sla(Guid enrollmentId, string kind) => $"sla:{enrollmentId:N}:{kind}";

    /// <summary>The prefix of a use case's fleet-wide drift alerts; the feature follows.</summary>
    public static string FleetDriftPrefix(Guid useCaseId) => $"fleet-drift:{useCaseId:N}:";

    public static string FleetDrift(Guid useCaseId, string feature) => FleetDriftPrefix(useCaseId) + feature;
}
