using Bunit;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Security;
using ControlPlane.Web.Components.Notifications;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Notifications;

/// <summary>
/// The list and the bell show a fleet-wide alert as one row with its tenants' alerts folded in (expandable), a repeated
/// condition as one row counted, and let an analyst acknowledge and resolve — live, and not for a viewer.
/// </summary>
public sealed class NotificationsPageTests : CoreTestContext
{
    private AlertService Alerts => Services.GetRequiredService<AlertService>();

    [Fact]
    public async Task A_group_is_one_row_with_its_members_folded_in_and_acknowledging_it_updates_the_row_and_the_bell()
    {
        Auth.SetPolicies(Policies.Read, Policies.Analyze);
        var tenantA = await Alerts.RaiseAsync(new AlertRequest(AlertKinds.Drift, AlertSeverity.Warning, "Drift: acme / churn-risk", "plan PSI 0.6", Key: "health:a"));
        var tenantB = await Alerts.RaiseAsync(new AlertRequest(AlertKinds.Drift, AlertSeverity.Warning, "Drift: globex / churn-risk", "plan PSI 0.7", Key: "health:b"));
        var fleet = await Alerts.RaiseAsync(new AlertRequest(AlertKinds.Drift, AlertSeverity.Warning,
            "Fleet drift: 2 of 10 tenants of churn-risk drift on plan", "likely an upstream change", Key: "fleet-drift:x:plan", UseCase: "churn-risk"));
        Assert.Equal(2, await Alerts.GroupAsync(fleet.Id, ["health:a", "health:b"]));
        await Alerts.RaiseAsync(new AlertRequest(AlertKinds.Sla, AlertSeverity.Warning, "SLA missed: acme", "p99 900 ms", Key: "sla:a"));
        await Alerts.RaiseAsync(new AlertRequest(AlertKinds.Sla, AlertSeverity.Warning, "SLA missed: acme", "p99 950 ms", Key: "sla:a"));

        var page = Render<NotificationsPage>();
        var bell = Render<NotificationBell>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#notifications-table tbody tr.mud-table-row").Count));
        bell.WaitForAssertion(() => Assert.Equal("2", bell.Find("#notification-bell").GetAttribute("data-unread")));
        var fleetRow = page.FindAll("#notifications-table tbody tr.mud-table-row").Single(r => r.TextContent.Contains("Fleet drift", StringComparison.Ordinal));
        Assert.Contains("2 tenant alerts folded in", fleetRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("all tenants · churn-risk", fleetRow.TextContent, StringComparison.Ordinal);
        var slaRow = page.FindAll("#notifications-table tbody tr.mud-table-row").Single(r => r.TextContent.Contains("SLA missed", StringComparison.Ordinal));
        Assert.Contains("×2", slaRow.QuerySelector(".cp-occurrences")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("p99 950 ms", slaRow.TextContent, StringComparison.Ordinal);

        // Expanded, the group lists its members.
        await page.FindAll(".cp-group-toggle").Single().ClickAsync(new MouseEventArgs());
        page.WaitForAssertion(() => Assert.Equal(
            [tenantA.Title, tenantB.Title],
            page.FindAll(".cp-group-members li").Select(li => li.TextContent.Split('·')[0].Trim()).Order(StringComparer.Ordinal).ToArray()));

        // Acknowledged: the row says so, the bell drops it, the button is gone.
        await page.FindAll("#notifications-table tbody tr.mud-table-row")
            .Single(r => r.TextContent.Contains("Fleet drift", StringComparison.Ordinal)).QuerySelector(".cp-ack")!.ClickAsync(new MouseEventArgs());
        page.WaitForAssertion(() =>
        {
            var row = page.FindAll("#notifications-table tbody tr.mud-table-row").Single(r => r.TextContent.Contains("Fleet drift", StringComparison.Ordinal));
            Assert.Equal("acknowledged", row.QuerySelector(".cp-alert-state")!.GetAttribute("data-state"));
            Assert.Contains("Acknowledged by admin@test.local", row.TextContent, StringComparison.Ordinal);
            Assert.Null(row.QuerySelector(".cp-ack"));
        });
        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find("#notification-bell").GetAttribute("data-unread")));

        // Resolved: gone from the active list (the default filter) and from the bell's menu.
        await page.FindAll("#notifications-table tbody tr.mud-table-row")
            .Single(r => r.TextContent.Contains("SLA missed", StringComparison.Ordinal)).QuerySelector(".cp-resolve")!.ClickAsync(new MouseEventArgs());
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#notifications-table tbody tr.mud-table-row")));
        bell.WaitForAssertion(() => Assert.Equal("0", bell.Find("#notification-bell").GetAttribute("data-unread")));
    }

    [Fact]
    public async Task A_viewer_sees_alerts_but_no_buttons_to_change_them()
    {
        Auth.SetPolicies(Policies.Read);
        await Alerts.RaiseAsync(new AlertRequest(AlertKinds.Decay, AlertSeverity.Warning, "Decay: acme / churn-risk", "AUC 0.61", Key: "decay:a"));
        var page = Render<NotificationsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("#notifications-table tbody tr.mud-table-row")));
        Assert.Empty(page.FindAll(".cp-ack"));
        Assert.Empty(page.FindAll(".cp-resolve"));
        Assert.Empty(page.FindAll(".cp-snooze"));
        Assert.Single(page.FindAll("#notifications-table tbody tr.mud-table-row button"), b => b.TextContent.Contains("Mark read", StringComparison.Ordinal));
    }
}
