using ControlPlane.Core.Monitoring;

namespace ControlPlane.Web.Api;

/// <summary>Notifications, newest first, with the bell's filters; read state is shared by everyone who can read.</summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/notifications").WithTags("Notifications");
        group.MapGet("", ListNotifications).WithName("ListNotifications").ScopeFiltered();
        group.MapPost("/{id:guid}/read", async (Guid id, NotificationService notifications, CancellationToken ct) =>
            ApiResults.Ok(await notifications.MarkReadAsync(id, ct), v => v)).WithName("MarkNotificationRead");
        return group;
    }

    public static async Task<IResult> ListNotifications(NotificationService notifications, ControlPlane.Core.Security.TenantAccess access,
        System.Security.Claims.ClaimsPrincipal user, string? kind, AlertSeverity? severity, bool? unread, string? tenant, int? take, CancellationToken ct)
    {
        if (take is < 1 or > 1000)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = ["Take between 1 and 1000."] },
                title: "The request is invalid.");
        }

        var only = await access.SlugsAsync(ControlPlane.Core.Security.TenantScope.Of(user), ct);
        var items = await notifications.ListAsync(new NotificationFilter(kind, severity, unread ?? false, tenant, take ?? 100, only), ct);
        return TypedResults.Ok(new { unread = await notifications.UnreadCountAsync(ct, only), items });
    }
}
