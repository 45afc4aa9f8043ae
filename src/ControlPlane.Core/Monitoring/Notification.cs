namespace ControlPlane.Core.Monitoring;

/// <summary>
/// One raised alert as the app shows it. Tenant slug and use-case key are copied when it is raised so the list, the
/// bell and webhook payloads need no joins and still read well after a tenant is offboarded.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; }
    public required string Kind { get; set; }
    public AlertSeverity Severity { get; set; }
    public required string Title { get; set; }
    public string Message { get; set; } = "";
    public Guid? TenantId { get; set; }
    public string? TenantSlug { get; set; }
    public Guid? EnrollmentId { get; set; }
    public string? UseCaseKey { get; set; }
    public string? Link { get; set; }

    /// <summary>The alert's data serialized as JSON, or null.</summary>
    public string? DataJson { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When someone marked it read; read state is shared by all users (an operations inbox, not a mailbox).</summary>
    public DateTime? ReadAt { get; set; }

    /// <summary>
    /// What the alert is about ("health:{enrollment}", "fleet-drift:{use case}:{feature}"): a condition raised again
    /// while its alert is unresolved updates that alert instead of adding one (decision 0046). Null: every raise is new.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>The <see cref="Key"/> while the alert is unresolved, null after: unique, so two nodes cannot open the same alert twice.</summary>
    public string? OpenKey { get; set; }

    /// <summary>How often the condition was raised while this alert stayed unresolved (1 at first), and when last.</summary>
    public int Occurrences { get; set; } = 1;
    public DateTime LastRaisedAt { get; set; }

    /// <summary>Someone is on it: out of the bell, still open until resolved.</summary>
    public DateTime? AcknowledgedAt { get; set; }
    public string? AcknowledgedBy { get; set; }

    /// <summary>Out of the bell until then; raised again after it, it rings again.</summary>
    public DateTime? SnoozedUntil { get; set; }
    public string? SnoozedBy { get; set; }

    /// <summary>When the condition cleared (<see cref="ResolvedBy"/> "condition cleared") or someone closed it, and why.</summary>
    public DateTime? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public string? ResolvedNote { get; set; }

    /// <summary>The alert this one is folded under (a tenant's drift alert under its use case's fleet-wide alert).</summary>
    public Guid? GroupId { get; set; }
}

/// <summary>An alert's state, derived from its fields: resolved, snoozed (until a time), acknowledged or open.</summary>
public static class AlertStates
{
    public const string Open = "open", Acknowledged = "acknowledged", Snoozed = "snoozed", Resolved = "resolved";

    public static IReadOnlyList<string> All { get; } = [Open, Acknowledged, Snoozed, Resolved];

    public static string Of(Notification n, DateTime now) =>
        n.ResolvedAt is not null ? Resolved
        : n.SnoozedUntil > now ? Snoozed
        : n.AcknowledgedAt is not null ? Acknowledged
        : Open;
}
