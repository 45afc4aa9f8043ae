using Microsoft.Extensions.Logging;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring;

/// <summary>Which notifications to list: all filters optional, newest first.</summary>
/// <param name="OnlyTenants">A scoped caller's tenants: only their notifications (none without a tenant); null for all.</param>
/// <param name="State">One of <see cref="AlertStates"/>, or "active" (anything not resolved); null for all.</param>
/// <param name="Group">The members of this group instead of the top level (alerts folded under another are listed only so).</param>
public sealed record NotificationFilter(string? Kind = null, AlertSeverity? Severity = null, bool UnreadOnly = false,
    string? Tenant = null, int Take = 100, IReadOnlyList<string>? OnlyTenants = null, string? State = null, Guid? Group = null)
{
    public const string Active = "active";

    public static bool IsState(string? state) => state is null || state == Active || AlertStates.All.Contains(state);
}

/// <param name="Members">How many alerts are folded under this one (a fleet-wide alert's tenants).</param>
public sealed record NotificationView(Guid Id, string Kind, AlertSeverity Severity, string Title, string Message,
    string? Tenant, string? UseCase, string? Link, string? Data, DateTime CreatedAt, DateTime? ReadAt,
    string State, int Occurrences, DateTime LastRaisedAt, DateTime? AcknowledgedAt, string? AcknowledgedBy,
    DateTime? SnoozedUntil, DateTime? ResolvedAt, string? ResolvedBy, string? ResolvedNote, Guid? GroupId, int Members)
{
    public static NotificationView Of(Notification n, DateTime now, int members = 0) =>
        new(n.Id, n.Kind, n.Severity, n.Title, n.Message, n.TenantSlug, n.UseCaseKey, n.Link, n.DataJson, n.CreatedAt, n.ReadAt,
            AlertStates.Of(n, now), n.Occurrences, n.LastRaisedAt == default ? n.CreatedAt : n.LastRaisedAt, n.AcknowledgedAt, n.AcknowledgedBy,
            n.SnoozedUntil > now ? n.SnoozedUntil : null, n.ResolvedAt, n.ResolvedBy, n.ResolvedNote, n.GroupId, members);
}

/// <summary>
/// Reading notifications, marking them read, and an alert's life: acknowledge, snooze, resolve (decision 0046). The bell,
/// the page and the API share it. Acting on a group acts on its members too. Every change names who made it, is stored on
/// the alert and logged.
/// </summary>
public sealed class NotificationService(
    IDbContextFactory<ControlPlaneDbContext> dbs, NotificationEvents events, TimeProvider time, ILogger<NotificationService> logger)
{
    /// <summary>The longest snooze: an alert nobody wants for a month should be resolved or its policy changed.</summary>
    public static readonly TimeSpan MaxSnooze = TimeSpan.FromDays(30);

    public async Task<IReadOnlyList<NotificationView>> ListAsync(NotificationFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Notifications.AsNoTracking();
        query = filter.Group is { } group ? query.Where(n => n.GroupId == group) : query.Where(n => n.GroupId == null);
        query = filter.State switch
        {
            NotificationFilter.Active => query.Where(n => n.ResolvedAt == null),
            AlertStates.Resolved => query.Where(n => n.ResolvedAt != null),
            AlertStates.Snoozed => query.Where(n => n.ResolvedAt == null && n.SnoozedUntil > now),
            AlertStates.Acknowledged => query.Where(n => n.ResolvedAt == null && !(n.SnoozedUntil > now) && n.AcknowledgedAt != null),
            AlertStates.Open => query.Where(n => n.ResolvedAt == null && !(n.SnoozedUntil > now) && n.AcknowledgedAt == null),
            _ => query,
        };
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
        var ids = rows.Select(r => r.Id).ToList();
        var members = await db.Notifications.Where(n => n.GroupId != null && ids.Contains(n.GroupId.Value))
            .GroupBy(n => n.GroupId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return rows.Select(n => NotificationView.Of(n, now, members.GetValueOrDefault(n.Id))).ToList();
    }

    /// <summary>What rings the bell: unread, not resolved, not snoozed now, not folded under another alert.</summary>
    public async Task<int> UnreadCountAsync(CancellationToken ct = default, IReadOnlyList<string>? onlyTenants = null)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Notifications.Where(n => n.ReadAt == null && n.ResolvedAt == null && n.GroupId == null && !(n.SnoozedUntil > now));
        if (onlyTenants is { } only)
        {
            var allowed = only.ToList();
            query = query.Where(n => n.TenantSlug != null && allowed.Contains(n.TenantSlug));
        }

        return await query.CountAsync(ct);
    }

    /// <summary>Someone is on it: read, out of the bell, open until resolved. Acknowledging again changes nothing.</summary>
    public Task<Result<NotificationView>> AcknowledgeAsync(Guid id, string actor, CancellationToken ct = default) =>
        ChangeAsync(id, actor, "acknowledged", n => n.AcknowledgedAt is null, (s, now) => s
            .SetProperty(n => n.AcknowledgedAt, n => n.AcknowledgedAt ?? now).SetProperty(n => n.AcknowledgedBy, n => n.AcknowledgedBy ?? actor)
            .SetProperty(n => n.ReadAt, n => n.ReadAt ?? now), ct);

    /// <summary>Out of the bell until <paramref name="until"/> (at most <see cref="MaxSnooze"/> ahead); then unread again if still open.</summary>
    public Task<Result<NotificationView>> SnoozeAsync(Guid id, DateTime until, string actor, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        until = DateTime.SpecifyKind(until, DateTimeKind.Utc);
        if (until <= now || until > now + MaxSnooze)
        {
            return Task.FromResult(Result<NotificationView>.Invalid("until",
                $"Snooze until a time after now and at most {MaxSnooze.TotalDays:0} days ahead (now is {now:yyyy-MM-dd HH:mm} UTC)."));
        }

        return ChangeAsync(id, actor, $"snoozed until {until:yyyy-MM-dd HH:mm} UTC", _ => true, (s, _) => s
            .SetProperty(n => n.SnoozedUntil, until).SetProperty(n => n.SnoozedBy, actor).SetProperty(n => n.ReadAt, (DateTime?)null), ct);
    }

    /// <summary>
    /// Closed by a person: resolved with their note, and read. Raised again later, the condition opens a new alert.
    /// </summary>
    public Task<Result<NotificationView>> ResolveAsync(Guid id, string actor, string? note, CancellationToken ct = default)
    {
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > 1000 })
        {
            return Task.FromResult(Result<NotificationView>.Invalid("note", $"The note has {note.Length} characters; at most 1000."));
        }

        return ChangeAsync(id, actor, "resolved", _ => true, (s, now) => s
            .SetProperty(n => n.ResolvedAt, now).SetProperty(n => n.ResolvedBy, actor).SetProperty(n => n.ResolvedNote, note)
            .SetProperty(n => n.OpenKey, (string?)null).SetProperty(n => n.ReadAt, n => n.ReadAt ?? now), ct);
    }

    /// <summary>
    /// One change of an unresolved alert and its group's unresolved members, stored with who made it and logged. A
    /// resolved alert cannot change any more (409); <paramref name="applies"/> false: nothing to do, the alert as it is.
    /// </summary>
    private async Task<Result<NotificationView>> ChangeAsync(Guid id, string actor, string what, Func<Notification, bool> applies,
        Func<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Notification>, DateTime, Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Notification>> set,
        CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var notification = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notification is null)
        {
            return Result<NotificationView>.NotFound($"Notification '{id}' does not exist.");
        }

        if (notification.ResolvedAt is not null)
        {
            return Result<NotificationView>.Conflict("state",
                $"The alert was resolved {notification.ResolvedAt:yyyy-MM-dd HH:mm} UTC by {notification.ResolvedBy}; a resolved alert does not change. If its condition returns, a new alert opens.");
        }

        if (applies(notification))
        {
            var changed = await db.Notifications.Where(n => (n.Id == id || n.GroupId == id) && n.ResolvedAt == null)
                .ExecuteUpdateAsync(s => set(s, now), ct);
            logger.LogInformation("{Actor} {What} alert {Id} ({Kind}: {Title}) and {Members} folded under it",
                actor, what, id, notification.Kind, notification.Title, changed - 1);
            events.Publish(new NotificationEvent(NotificationEvent.Changed, id));
            notification = await db.Notifications.AsNoTracking().FirstAsync(n => n.Id == id, ct);
        }

        var members = await db.Notifications.CountAsync(n => n.GroupId == id, ct);
        return Result<NotificationView>.Ok(NotificationView.Of(notification, now, members));
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

        return Result<NotificationView>.Ok(NotificationView.Of(notification, time.GetUtcNow().UtcDateTime));
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
