using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring;
using ControlPlane.Web.Components.Admin;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Admin;

/// <summary>The webhooks admin page: a bad URL is shown at its field, a good one shows the secret once and stores it encrypted.</summary>
public sealed class WebhookEndpointsTests : CoreTestContext
{
    [Fact]
    public async Task A_relative_url_is_refused_at_the_field_and_a_good_one_shows_the_secret_once()
    {
        var cut = Render<WebhookEndpoints>();
        cut.Find("#webhook-name").Change("pager");
        cut.Find("#webhook-url").Change("/hooks/pager");
        await cut.Find("#webhook-create").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("not an absolute http or https URL", ErrorOf(cut, "webhook-url"), StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#webhook-secret"));

        // A public address rather than a name: the egress policy resolves names, and a test machine may have no DNS.
        cut.Find("#webhook-url").Change("https://93.184.216.34/pager");
        await cut.Find("#webhook-create").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#webhook-secret")));
        var secret = cut.Find("#webhook-secret").GetAttribute("value")!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Contains("https://93.184.216.34/pager", cut.Find("#webhooks-table").TextContent, StringComparison.Ordinal);

        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var stored = await db.WebhookEndpoints.SingleAsync();
        Assert.NotEqual(secret, stored.ProtectedSecret);
        var protector = Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(WebhookService.ProtectorPurpose);
        Assert.Equal(secret, protector.Unprotect(stored.ProtectedSecret));
    }

    [Fact]
    public void The_delivery_log_shows_a_chip_per_status_with_attempts_last_error_and_next_retry()
    {
        var at = new DateTime(2026, 11, 27, 3, 0, 0, DateTimeKind.Utc);
        DeliveryView Delivery(DeliveryStatus status, int attempts, string? error, DateTime? next) =>
            new(Guid.NewGuid(), Guid.NewGuid(), "drift", $"{status} one", status, attempts, error is null ? 200 : 503, error, next, at, null,
                [new DeliveryAttempt(1, at, 503, error, 120, next)]);

        var cut = Render<WebhookDeliveryLog>(p => p.Add(l => l.Deliveries,
        [
            Delivery(DeliveryStatus.Delivered, 1, null, null),
            Delivery(DeliveryStatus.Pending, 2, "HTTP 503 ServiceUnavailable", at.AddSeconds(40)),
            Delivery(DeliveryStatus.Failed, 8, "Timed out after 5 s.", null),
        ]));

        var chips = cut.FindAll(".cp-delivery-status");
        Assert.Equal(["Delivered", "Pending", "Failed"], chips.Select(c => c.TextContent.Trim()));
        Assert.Contains("mud-chip-color-success", chips[0].ClassName, StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-error", chips[2].ClassName, StringComparison.Ordinal);
        var text = cut.Find("#webhook-deliveries").TextContent;
        Assert.Contains("503 HTTP 503 ServiceUnavailable", text, StringComparison.Ordinal);
        Assert.Contains("03:00:40", text, StringComparison.Ordinal);
        Assert.Contains("Timed out after 5 s.", text, StringComparison.Ordinal);
    }

    private static string? ErrorOf(IRenderedComponent<WebhookEndpoints> cut, string inputId) =>
        cut.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent;
}
