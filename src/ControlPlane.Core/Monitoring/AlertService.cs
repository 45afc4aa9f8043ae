using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring;

/// <summary>
/// The one way features raise alerts. Storing the notification and its queued webhook deliveries is a single insert;
/// sending is the <see cref="WebhookDispatcher"/>'s job on whichever node claims it, so a dead endpoint never slows the
/// pipeline that raised the alert.
/// </summary>
public sealed class AlertService(IDbContextFactory<ControlPlaneDbContext> dbs, NotificationEvents events, WebhookWakeUp wakeUp, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Stores the notification, pushes it live to connected browsers (this node and the others), and queues a delivery
    /// for every enabled webhook endpoint subscribed to the kind. Never waits for a webhook.
    /// </summary>
    public async Task<Notification> RaiseAsync(AlertRequest alert, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alert.Kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(alert.Title);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var notification = await NewNotificationAsync(db, alert, ct);
        var endpoints = await db.WebhookEndpoints.Where(e => e.Enabled).ToListAsync(ct);
        var deliveries = Queue(db, notification, endpoints.Where(e => e.Wants(alert.Kind)));
        await db.SaveChangesAsync(ct);

        events.Publish(new NotificationEvent(NotificationEvent.Raised, notification.Id));
        if (deliveries > 0)
        {
            events.Publish(new NotificationEvent(NotificationEvent.Delivery, null));
            wakeUp.Signal();
        }

        return notification;
    }

    /// <summary>A test event for one endpoint only, whatever it subscribes to; stored already read so it does not ring the bell.</summary>
    internal async Task<Notification> SendTestAsync(WebhookEndpoint endpoint, string actor, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var notification = await NewNotificationAsync(db, new AlertRequest(AlertKinds.Test, AlertSeverity.Info,
            $"Test event for webhook '{endpoint.Name}'", $"Sent by {actor} to check the endpoint.", Data: new { endpoint = endpoint.Id }), ct);
        notification.ReadAt = notification.CreatedAt;
        Queue(db, notification, [endpoint]);
        await db.SaveChangesAsync(ct);
        events.Publish(new NotificationEvent(NotificationEvent.Delivery, null));
        wakeUp.Signal();
        return notification;
    }

    private async Task<Notification> NewNotificationAsync(ControlPlaneDbContext db, AlertRequest alert, CancellationToken ct)
    {
        var enrollment = alert.EnrollmentId is { } enrollmentId
            ? await db.Enrollments.Where(e => e.Id == enrollmentId)
                .Select(e => new { e.TenantId, e.Tenant!.Slug, e.UseCase!.Key }).FirstOrDefaultAsync(ct)
            : null;
        var tenantId = alert.TenantId ?? enrollment?.TenantId;
        var tenantSlug = enrollment?.Slug ?? (tenantId is { } id
            ? await db.Tenants.Where(t => t.Id == id).Select(t => t.Slug).FirstOrDefaultAsync(ct)
            : null);
        var notification = new Notification
        {
            Id = Guid.NewGuid(),
            Kind = alert.Kind,
            Severity = alert.Severity,
            Title = TextLimits.Clip(alert.Title, 200),
            Message = TextLimits.Clip(alert.Message ?? "", 4000),
            TenantId = tenantId,
            TenantSlug = tenantSlug,
            EnrollmentId = alert.EnrollmentId,
            UseCaseKey = enrollment?.Key,
            Link = alert.Link,
            DataJson = alert.Data is null ? null : JsonSerializer.Serialize(alert.Data, Json),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Notifications.Add(notification);
        return notification;
    }

    private int Queue(ControlPlaneDbContext db, Notification notification, IEnumerable<WebhookEndpoint> endpoints)
    {
        var count = 0;
        foreach (var endpoint in endpoints)
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = Guid.NewGuid(),
                EndpointId = endpoint.Id,
                NotificationId = notification.Id,
                Status = DeliveryStatus.Pending,
                NextAttemptAt = notification.CreatedAt,
                CreatedAt = notification.CreatedAt,
            });
            count++;
        }

        return count;
    }
}

/// <summary>Wakes this node's dispatcher when a delivery was queued here, so it need not wait for its next poll.</summary>
public sealed class WebhookWakeUp
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
