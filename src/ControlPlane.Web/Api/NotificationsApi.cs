using System.Security.Claims;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Security;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

/// <summary>
/// Notifications, newest first, with the bell's filters; read state is shared by everyone who can read. Analysts and
/// admins acknowledge, snooze and resolve alerts (decision 0046); acting on a group acts on the alerts folded under it.
/// </summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/notifications").WithTags("Notifications");
        group.MapGet("", ListNotifications).WithName("ListNotifications").ScopeFiltered();
        group.MapPost("/{id:guid}/read", async (Guid id, NotificationService notifications, CancellationToken ct) =>
            ApiResults.Ok(await notifications.MarkReadAsync(id, ct), v => v)).WithName("MarkNotificationRead");
        group.MapPost("/{id:guid}/acknowledge", async (Guid id, NotificationService notifications, ClaimsPrincipal user, CancellationToken ct) =>
            ApiResults.Ok(await notifications.AcknowledgeAsync(id, user.Actor(), ct), v => v))
            .WithName("AcknowledgeNotification").RequireAuthorization(Policies.Analyze);
        group.MapPost("/{id:guid}/snooze", Snooze).WithName("SnoozeNotification").RequireAuthorization(Policies.Analyze);
        group.MapPost("/{id:guid}/resolve", async (Guid id, ResolveRequest? body, NotificationService notifications, ClaimsPrincipal user, CancellationToken ct) =>
            ApiResults.Ok(await notifications.ResolveAsync(id, user.Actor(), body?.Note, ct), v => v))
            .WithName("ResolveNotification").RequireAuthorization(Policies.Analyze);
        return group;
    }

    /// <summary>Snooze for a number of minutes or until a time (UTC), one of the two.</summary>
    public sealed record SnoozeRequest(int? Minutes, DateTime? Until);

    public sealed record ResolveRequest(string? Note);

    private static async Task<IResult> Snooze(Guid id, SnoozeRequest? body, NotificationService notifications, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        if (body is null || (body.Minutes is null) == (body.Until is null))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["minutes"] = ["Give either minutes (1 to 43200) or until (a UTC time), not both and not neither."],
            }, title: "The request is invalid.");
        }

        if (body.Minutes is < 1 or > 43_200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["minutes"] = ["Snooze between 1 and 43200 minutes (30 days)."] },
                title: "The request is invalid.");
        }

        var until = body.Until is { } u ? u.ToUniversalTime() : time.GetUtcNow().UtcDateTime.AddMinutes(body.Minutes!.Value);
        return ApiResults.Ok(await notifications.SnoozeAsync(id, until, user.Actor(), ct), v => v);
    }

    public static async Task<IResult> ListNotifications(NotificationService notifications, ControlPlane.Core.Security.TenantAccess access,
        ClaimsPrincipal user, string? kind, AlertSeverity? severity, bool? unread, string? tenant, int? take, string? state, Guid? group, CancellationToken ct)
    {
        if (!NotificationFilter.IsState(state))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["state"] = [$"'{state}' is not a state; use {NotificationFilter.Active}, {string.Join(", ", AlertStates.All)}."],
            }, title: "The request is invalid.");
        }

        if (take is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = ["Take between 1 and 1000."] },
                title: "The request is invalid.");
        }

        var only = await access.SlugsAsync(ControlPlane.Core.Security.TenantScope.Of(user), ct);
        var items = await notifications.ListAsync(new NotificationFilter(kind, severity, unread ?? false, tenant, take ?? 100, only, state, group), ct);
        return TypedResults.Ok(new { unread = await notifications.UnreadCountAsync(ct, only), items });
    }
}
