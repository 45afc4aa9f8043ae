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
    /// for every enabled webhook endpoint subscribed to the kind. Never waits for a webhook. With a
    /// <see cref="AlertRequest.Key"/> whose alert is still unresolved, that alert is raised again instead (see
    /// <see cref="RepeatAsync"/>); the unique open key settles two nodes opening it at once.
    /// </summary>
    public async Task<Notification> RaiseAsync(AlertRequest alert, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alert.Kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(alert.Title);
        if (alert.Key is { } key)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(key.Length, 300, nameof(alert));
            if (await RepeatAsync(alert, key, ct) is { } repeated)
            {
                return repeated;
            }

            try
            {
                return await OpenAsync(alert, ct);
            }
            catch (DbUpdateException)
            {
                // Another node opened it between the two statements: raise it again on theirs.
                return await RepeatAsync(alert, key, ct) ?? throw new InvalidOperationException($"The alert '{key}' could neither be opened nor found open.");
            }
        }

        return await OpenAsync(alert, ct);
    }

    private async Task<Notification> OpenAsync(AlertRequest alert, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var notification = await NewNotificationAsync(db, alert, ct);
        var deliveries = await QueueForSubscribersAsync(db, notification.Id, alert.Kind, notification.CreatedAt, ct);
        await db.SaveChangesAsync(ct);
        Announce(NotificationEvent.Raised, notification.Id, deliveries);
        return notification;
    }

    /// <summary>
    /// The condition of an unresolved alert was raised again: the alert counts it and takes the new title, message and
    /// data (the figures of now), keeping its read, acknowledged and snoozed state — unless the severity rises, which
    /// makes it unread and sends it to the webhooks again. Null when no alert with the key is open.
    /// </summary>
    private async Task<Notification?> RepeatAsync(AlertRequest alert, string key, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var open = await db.Notifications.FirstOrDefaultAsync(n => n.OpenKey == key, ct);
        if (open is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var rises = alert.Severity > open.Severity;
        var severity = rises ? alert.Severity : open.Severity;
        var title = TextLimits.Clip(alert.Title, 200);
        var message = TextLimits.Clip(alert.Message ?? "", 4000);
        var data = alert.Data is null ? null : JsonSerializer.Serialize(alert.Data, Json);
        var updated = await db.Notifications.Where(n => n.Id == open.Id && n.OpenKey == key).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Occurrences, n => n.Occurrences + 1).SetProperty(n => n.LastRaisedAt, now)
            .SetProperty(n => n.Title, title).SetProperty(n => n.Message, message).SetProperty(n => n.DataJson, data)
            .SetProperty(n => n.Severity, severity)
            .SetProperty(n => n.ReadAt, n => rises ? null : n.ReadAt), ct);
        if (updated == 0)
        {
            return null; // resolved in between: the caller opens a new one
        }

        var deliveries = 0;
        if (rises)
        {
            deliveries = await QueueForSubscribersAsync(db, open.Id, alert.Kind, now, ct);
            await db.SaveChangesAsync(ct);
        }

        Announce(rises ? NotificationEvent.Raised : NotificationEvent.Changed, open.Id, deliveries);
        return await db.Notifications.AsNoTracking().FirstAsync(n => n.Id == open.Id, ct);
    }

    /// <summary>
    /// The conditions cleared: their open alerts are resolved ("condition cleared", with the note), and the alerts folded
    /// under them that are still open come back to the top of the list. Returns how many were resolved.
    /// </summary>
    public async Task<int> ResolveAsync(IReadOnlyCollection<string> keys, string note, CancellationToken ct = default)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var list = keys.ToList();
        var ids = await db.Notifications.Where(n => n.OpenKey != null && list.Contains(n.OpenKey)).Select(n => n.Id).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        note = TextLimits.Clip(note, 1000);
        var resolved = await db.Notifications.Where(n => ids.Contains(n.Id) && n.OpenKey != null).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.ResolvedAt, now).SetProperty(n => n.ResolvedBy, ConditionCleared).SetProperty(n => n.ResolvedNote, note)
            .SetProperty(n => n.OpenKey, (string?)null), ct);
        await db.Notifications.Where(n => n.GroupId != null && ids.Contains(n.GroupId.Value) && n.ResolvedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.GroupId, (Guid?)null), ct);
        if (resolved > 0)
        {
            events.Publish(new NotificationEvent(NotificationEvent.Changed, null));
        }

        return resolved;
    }

    /// <summary>Who resolved an alert whose condition cleared by itself.</summary>
    public const string ConditionCleared = "condition cleared";

    /// <summary>
    /// Folds the open alerts with these keys under <paramref name="groupId"/> (a tenant's drift alert under its use case's
    /// fleet-wide one): they leave the bell and the top of the list and are shown as the group's members.
    /// </summary>
    public async Task<int> GroupAsync(Guid groupId, IReadOnlyCollection<string> keys, CancellationToken ct = default)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var list = keys.ToList();
        var grouped = await db.Notifications.Where(n => n.OpenKey != null && list.Contains(n.OpenKey) && n.GroupId == null && n.Id != groupId)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.GroupId, groupId), ct);
        if (grouped > 0)
        {
            events.Publish(new NotificationEvent(NotificationEvent.Changed, groupId));
        }

        return grouped;
    }

    /// <summary>A test event for one endpoint only, whatever it subscribes to; stored already read so it does not ring the bell.</summary>
    internal async Task<Notification> SendTestAsync(WebhookEndpoint endpoint, string actor, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var notification = await NewNotificationAsync(db, new AlertRequest(AlertKinds.Test, AlertSeverity.Info,
            $"Test event for webhook '{endpoint.Name}'", $"Sent by {actor} to check the endpoint.", Data: new { endpoint = endpoint.Id }), ct);
        notification.ReadAt = notification.CreatedAt;
        Queue(db, notification.Id, notification.CreatedAt, [endpoint]);
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
            UseCaseKey = enrollment?.Key ?? alert.UseCase,
            Link = alert.Link,
            DataJson = alert.Data is null ? null : JsonSerializer.Serialize(alert.Data, Json),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            Key = alert.Key,
            OpenKey = alert.Key,
        };
        notification.LastRaisedAt = notification.CreatedAt;
        db.Notifications.Add(notification);
        return notification;
    }

    private static async Task<int> QueueForSubscribersAsync(ControlPlaneDbContext db, Guid notificationId, string kind, DateTime at, CancellationToken ct)
    {
        var endpoints = await db.WebhookEndpoints.Where(e => e.Enabled).ToListAsync(ct);
        return Queue(db, notificationId, at, endpoints.Where(e => e.Wants(kind)));
    }

    private void Announce(string kind, Guid id, int deliveries)
    {
        events.Publish(new NotificationEvent(kind, id));
        if (deliveries > 0)
        {
            events.Publish(new NotificationEvent(NotificationEvent.Delivery, null));
            wakeUp.Signal();
        }
    }

    private static int Queue(ControlPlaneDbContext db, Guid notificationId, DateTime at, IEnumerable<WebhookEndpoint> endpoints)
    {
        var count = 0;
        foreach (var endpoint in endpoints)
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = Guid.NewGuid(),
                EndpointId = endpoint.Id,
                NotificationId = notificationId,
                Status = DeliveryStatus.Pending,
                NextAttemptAt = at,
                CreatedAt = at,
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
