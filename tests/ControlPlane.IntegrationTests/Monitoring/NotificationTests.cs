using System.Collections.Concurrent;
using System.Net;
using ControlPlane.Core.Monitoring;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// A notification raised on one app instance is stored and counted unread there and on a second instance on the same
/// database, and subscribers on the second instance hear of it (through LISTEN/NOTIFY on PostgreSQL).
/// </summary>
public abstract class NotificationTests<TProvider> where TProvider : IProviderKind
{
    [Fact]
    public async Task A_notification_raised_on_one_instance_is_stored_and_counted_unread_on_both()
    {
        await using var database = await TProvider.CreateDatabaseAsync();
        await using var nodeA = new ControlPlaneApp(database) { OwnsStorage = false };
        _ = nodeA.Server;
        await using var nodeB = new ControlPlaneApp(database) { OwnsStorage = false };
        _ = nodeB.Server;
        var heard = new ConcurrentQueue<NotificationEvent>();
        using var subscription = nodeA.Services.GetRequiredService<NotificationEvents>().Subscribe(heard.Enqueue);
        using var clientA = nodeA.CreateAdminClient();
        var before = (await (await clientA.GetAsync("/api/v1/notifications")).ReadNodeAsync())["unread"]!.GetValue<int>();

        var raised = await nodeB.Services.GetRequiredService<AlertService>().RaiseAsync(
            new AlertRequest(AlertKinds.Drift, AlertSeverity.Warning, "Drift on churn", "PSI 0.4", Data: new { feature = "plan" }));

        var list = await (await clientA.GetAsync("/api/v1/notifications?unread=true&kind=drift")).ReadNodeAsync();
        Assert.Equal(before + 1, list["unread"]!.GetValue<int>());
        var item = Assert.Single(list["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == raised.Id.ToString())!;
        Assert.Equal("Drift on churn", item["title"]!.GetValue<string>());
        Assert.Null(item["readAt"]);

        if (database.Provider == Core.Options.DatabaseProvider.Postgres)
        {
            await Eventually.Until(() => heard.Any(e => e.Kind == NotificationEvent.Raised && e.Id == raised.Id),
                "node A hearing of the notification raised on node B");
        }

        using var clientB = nodeB.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await clientB.PostAsync($"/api/v1/notifications/{raised.Id}/read", null)).StatusCode);
        var after = await (await clientA.GetAsync("/api/v1/notifications")).ReadNodeAsync();
        Assert.Equal(before, after["unread"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await clientB.PostAsync($"/api/v1/notifications/{Guid.NewGuid()}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await clientA.GetAsync("/api/v1/notifications?take=0")).StatusCode);
    }
}

public sealed class NotificationTestsOnSqlite : NotificationTests<Sqlite>;

public sealed class NotificationTestsOnPostgres : NotificationTests<Postgres>;
