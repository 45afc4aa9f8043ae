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
}
