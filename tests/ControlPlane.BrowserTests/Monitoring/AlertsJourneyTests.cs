using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.Monitoring;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.IntegrationTests.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Monitoring;

public sealed class AlertsJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_adds_a_webhook_sends_a_test_event_and_the_bell_counts_a_new_alert_live()
    {
        await using var receiver = new WebhookReceiver();
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync("/admin/webhooks");
        await page.WaitForInteractiveAsync();

        await page.FillAsync("#webhook-name", "pager");
        await page.FillAsync("#webhook-url", "pager.example.com/hook");
        await page.ClickAsync("#webhook-create");
        await Expect(page.GetByText("is not an absolute http or https URL")).ToBeVisibleAsync();

        await page.FillAsync("#webhook-url", receiver.Url("pager", 200));
        await page.ClickAsync("#webhook-create");
        await Expect(page.Locator("#webhook-secret")).ToBeVisibleAsync();
        Assert.StartsWith("whsec_", await page.Locator("#webhook-secret").InputValueAsync(), StringComparison.Ordinal);

        await page.Locator("#webhooks-table tr", new() { HasText = "pager" }).GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        // The delivery log is live: it turns Delivered without a reload or a click on Refresh.
        var chip = page.Locator("#webhook-deliveries .cp-delivery-status").First;
        await Expect(chip).ToHaveTextAsync("Delivered", new() { Timeout = 30_000 });
        Assert.Single(receiver.On("pager"));
        await page.ScreenshotAsync("40-webhook-delivered");

        var bell = page.Locator("#notification-bell");
        var before = int.Parse((await bell.GetAttributeAsync("data-unread"))!, System.Globalization.CultureInfo.InvariantCulture);
        await fixture.App.Services.GetRequiredService<AlertService>().RaiseAsync(
            new AlertRequest(AlertKinds.Sla, AlertSeverity.Critical, "SLA missed for lead-scoring", "p95 900 ms"));
        await Expect(bell).ToHaveAttributeAsync("data-unread", (before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        await page.GetByRole(AriaRole.Button, new() { Name = $"Notifications: {before + 1} unread", Exact = true }).ClickAsync();
        await Expect(page.Locator(".cp-notification-item").First).ToContainTextAsync("SLA missed for lead-scoring");
        await page.ScreenshotAsync("41-notification-bell");
    }

    [Fact]
    public async Task A_fleet_alert_shows_its_tenants_folded_in_and_an_analyst_acknowledges_and_snoozes_it()
    {
        var alerts = fixture.App.Services.GetRequiredService<AlertService>();
        var run = Guid.NewGuid().ToString("N")[..6];
        foreach (var tenant in new[] { "acme", "globex", "initech" })
        {
            await alerts.RaiseAsync(new AlertRequest(AlertKinds.Drift, AlertSeverity.Warning, $"Drift: {tenant}-{run} / churn-risk",
                "plan PSI 0.62 — changed in 2 batch windows in a row", Key: $"health:{tenant}-{run}"));
        }

        var fleet = await alerts.RaiseAsync(new AlertRequest(AlertKinds.Drift, AlertSeverity.Warning,
            $"Fleet drift: 3 of 20 tenants of churn-risk drift on plan ({run})",
            "3 of 20 tenants drift on plan since Monday 2026-11-02 — likely an upstream change (a source, an export or a shared rule) rather than each tenant's own.",
            Link: "/use-cases/churn-risk/monitoring", Key: $"fleet-drift:{run}:plan", UseCase: "churn-risk"));
        await alerts.GroupAsync(fleet.Id, new[] { "acme", "globex", "initech" }.Select(t => $"health:{t}-{run}").ToList());

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync("/notifications");
        await page.WaitForInteractiveAsync();
        var row = page.Locator("#notifications-table tbody tr", new() { HasText = $"Fleet drift: 3 of 20 tenants of churn-risk drift on plan ({run})" });
        await Expect(row).ToHaveCountAsync(1);
        // The tenants' own alerts are not rows of their own: they are folded under the fleet alert.
        await Expect(page.Locator("#notifications-table tbody tr", new() { HasText = $"Drift: acme-{run}" })).ToHaveCountAsync(0);
        await row.Locator(".cp-group-toggle").ClickAsync();
        await Expect(row.Locator(".cp-group-members li")).ToHaveCountAsync(3);
        await page.ScreenshotAsync("49-fleet-alert-grouped");

        await row.Locator(".cp-ack").ClickAsync();
        await Expect(row.Locator(".cp-alert-state")).ToHaveAttributeAsync("data-state", "acknowledged");
        await row.Locator(".cp-snooze button").ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "1 day" }).ClickAsync();
        // Snoozed, it leaves the active list's open alerts but stays listed, saying until when.
        await Expect(row.Locator(".cp-alert-state")).ToHaveAttributeAsync("data-state", "snoozed");
        await Expect(row.Locator(".cp-alert-state")).ToContainTextAsync("snoozed to");

        await page.SetViewportSizeAsync(1024, 768);
        await page.GotoAsync("/notifications");
        await page.WaitForInteractiveAsync();
        await Expect(row).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the notifications page scrolls sideways at 1024 px");
        await page.ScreenshotAsync("50-notifications-1024");
    }
}
