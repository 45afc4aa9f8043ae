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
public sealed record AlertRequest(string Kind, AlertSeverity Severity, string Title, string Message,
    Guid? TenantId = null, Guid? EnrollmentId = null, string? Link = null, object? Data = null);
