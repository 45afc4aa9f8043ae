using ControlPlane.Core.Monitoring;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>Two nodes on one PostgreSQL database race for the same deliveries; each is sent exactly once.</summary>
public sealed class WebhookClusterTests
{
    [Fact]
    public async Task Two_nodes_polling_the_same_deliveries_send_each_exactly_once()
    {
        await using var receiver = new WebhookReceiver();
        await using var database = await Postgres.CreateDatabaseAsync();
        await using var nodeA = Node(database);
        _ = nodeA.Server;
        await using var nodeB = Node(database);
        _ = nodeB.Server;

        var created = await (await nodeA.CreateAdminClient().PostJsonAsync("/api/v1/webhooks",
            new { name = "both", url = receiver.Url("both", 200), eventKinds = Array.Empty<string>() })).ReadNodeAsync();
        Assert.NotNull(created["secret"]);

        const int count = 60;
        var raisers = new[] { nodeA, nodeB }.Select(n => n.Services.GetRequiredService<AlertService>()).ToArray();
        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            raisers[i % 2].RaiseAsync(new AlertRequest(AlertKinds.Drift, AlertSeverity.Info, $"alert {i}", ""))));

        await Eventually.TrueAsync(async () => await nodeA.WithDbAsync(db =>
            db.WebhookDeliveries.CountAsync(d => d.Status == DeliveryStatus.Delivered)) == count, "every delivery delivered");
        await Task.Delay(TimeSpan.FromSeconds(1)); // room for a duplicate to arrive, if there were one

        var ids = receiver.On("both").Select(r => r.Headers["X-ControlPlane-Delivery"]).ToList();
        Assert.Equal(count, ids.Count);
        Assert.Equal(count, ids.Distinct().Count());
        var deliveries = await nodeA.WithDbAsync(db => db.WebhookDeliveries.ToListAsync());
        Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));
    }

    private static ControlPlaneApp Node(ITestDatabase database)
    {
        var app = new ControlPlaneApp(database) { OwnsStorage = false };
        app.Settings["ControlPlane:Webhooks:PollInterval"] = "00:00:00.020";
        return app;
    }
}
