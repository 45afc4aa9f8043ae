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
}
