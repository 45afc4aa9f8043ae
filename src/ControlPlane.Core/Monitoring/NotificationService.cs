using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring;

/// <summary>Which notifications to list: all filters optional, newest first.</summary>
/// <param name="OnlyTenants">A scoped caller's tenants: only their notifications (none without a tenant); null for all.</param>
public sealed record NotificationFilter(string? Kind = null, AlertSeverity? Severity = null, bool UnreadOnly = false,
    string? Tenant = null, int Take = 100, IReadOnlyList<string>? OnlyTenants = null);

public sealed record NotificationView(Guid Id, string Kind, AlertSeverity Severity, string Title, string Message,
    string? Tenant, string? UseCase, string? Link, string? Data, DateTime CreatedAt, DateTime? ReadAt)
{
    public static NotificationView Of(Notification n) =>
        new(n.Id, n.Kind, n.Severity, n.Title, n.Message, n.TenantSlug, n.UseCaseKey, n.Link, n.DataJson, n.CreatedAt, n.ReadAt);
}

/// <summary>Reading notifications and marking them read; the bell, the page and the API share it.</summary>
public sealed class NotificationService(IDbContextFactory<ControlPlaneDbContext> dbs, NotificationEvents events, TimeProvider time)
{
    public async Task<IReadOnlyList<NotificationView>> ListAsync(NotificationFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.Notifications.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Kind))
        {
            query = query.Where(n => n.Kind == filter.Kind);
        }

        if (filter.Severity is { } severity)
        {
            query = query.Where(n => n.Severity == severity);
        }

        if (filter.UnreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        if (!string.IsNullOrWhiteSpace(filter.Tenant))
        {
            query = query.Where(n => n.TenantSlug == filter.Tenant);
        }

        if (filter.OnlyTenants is { } only)
        {
            var allowed = only.ToList();
            query = query.Where(n => n.TenantSlug != null && allowed.Contains(n.TenantSlug));
        }

        var rows = await query.OrderByDescending(n => n.CreatedAt).Take(Math.Clamp(filter.Take, 1, 1000)).ToListAsync(ct);
        return rows.Select(NotificationView.Of).ToList();
    }

    public async Task<int> UnreadCountAsync(CancellationToken ct = default, IReadOnlyList<string>? onlyTenants = null)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (onlyTenants is { } only)
        {
            var allowed = only.ToList();
            return await db.Notifications.CountAsync(n => n.ReadAt == null && n.TenantSlug != null && allowed.Contains(n.TenantSlug), ct);
        }

        return await db.Notifications.CountAsync(n => n.ReadAt == null, ct);
    }

    public async Task<Result<NotificationView>> MarkReadAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notification is null)
        {
            return Result<NotificationView>.NotFound($"Notification '{id}' does not exist.");
        }

        if (notification.ReadAt is null)
        {
            notification.ReadAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            events.Publish(new NotificationEvent(NotificationEvent.Read, id));
        }

        return Result<NotificationView>.Ok(NotificationView.Of(notification));
    }

    public async Task<int> MarkAllReadAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var count = await db.Notifications.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (count > 0)
        {
            events.Publish(new NotificationEvent(NotificationEvent.Read, null));
        }

        return count;
    }
}
