namespace ControlPlane.Core.Monitoring;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>
/// One notification on its way to one endpoint. A node sends an attempt only after it moved <see cref="NextAttemptAt"/>
/// past now with a conditional UPDATE (its claim); a node that dies mid-send leaves the delivery due again once the
/// claim's lease runs out.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid EndpointId { get; set; }
    public WebhookEndpoint? Endpoint { get; set; }
    public Guid NotificationId { get; set; }
    public Notification? Notification { get; set; }
    public int Attempts { get; set; }
    public DeliveryStatus Status { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public string? ClaimedBy { get; set; }

    /// <summary>Every attempt as a JSON array of <see cref="DeliveryAttempt"/>; only the claiming node writes it.</summary>
    public string AttemptLog { get; set; } = "[]";
}

/// <summary>One try of a delivery, as kept in its log.</summary>
public sealed record DeliveryAttempt(int Number, DateTime At, int? StatusCode, string? Error, long DurationMs, DateTime? RetryAt);
