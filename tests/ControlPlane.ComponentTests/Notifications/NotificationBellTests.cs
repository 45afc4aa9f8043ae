using Bunit;
using ControlPlane.Core.Monitoring;
using ControlPlane.Web.Components.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Notifications;

/// <summary>The bell counts the unread notifications and picks up a new one the moment it is raised, with no reload.</summary>
public sealed class NotificationBellTests : CoreTestContext
{
    private AlertService Alerts => Services.GetRequiredService<AlertService>();

    [Fact]
    public async Task Shows_the_unread_count_and_updates_live_when_a_notification_is_raised_or_read()
    {
        var first = await Alerts.RaiseAsync(new AlertRequest(AlertKinds.Drift, AlertSeverity.Warning, "Drift on lead-scoring", "PSI 0.3"));
        await Alerts.RaiseAsync(new AlertRequest(AlertKinds.Sla, AlertSeverity.Critical, "SLA missed for churn", "p95 820 ms"));

        var cut = Render<NotificationBell>();
        cut.WaitForAssertion(() => Assert.Equal("2", Unread(cut)));
        Assert.Equal("Notifications: 2 unread", cut.Find("button[aria-label]").GetAttribute("aria-label"));
        Assert.Equal("2", cut.Find(".mud-badge").TextContent.Trim());

        await Alerts.RaiseAsync(new AlertRequest(AlertKinds.Retrain, AlertSeverity.Info, "Retrain of acme finished", "v4 is champion"));
        cut.WaitForAssertion(() => Assert.Equal("3", Unread(cut)));
        Assert.Equal("3", cut.Find(".mud-badge").TextContent.Trim());

        // The menu lists the newest first.
        var popovers = Popovers;
        await cut.Find("button[aria-label]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        popovers.WaitForAssertion(() => Assert.Equal(
            ["Retrain of acme finished", "SLA missed for churn", "Drift on lead-scoring"],
            popovers.FindAll(".cp-notification-item").Select(i => i.TextContent.Trim().Split('\n')[0].Trim()).ToArray()));

        await Services.GetRequiredService<NotificationService>().MarkReadAsync(first.Id);
        cut.WaitForAssertion(() => Assert.Equal("2", Unread(cut)));
    }

    [Fact]
    public void With_nothing_unread_the_badge_is_hidden()
    {
        var cut = Render<NotificationBell>();
        cut.WaitForAssertion(() => Assert.Equal("0", Unread(cut)));
        Assert.Empty(cut.FindAll("span.mud-badge"));
        Assert.Equal("Notifications: 0 unread", cut.Find("button[aria-label]").GetAttribute("aria-label"));
    }

    private static string? Unread(IRenderedComponent<NotificationBell> cut) => cut.Find("#notification-bell").GetAttribute("data-unread");
}
