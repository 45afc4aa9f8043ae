using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Engine;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>Progress published on node B reaches subscribers (browsers' circuits) on node A, through PostgreSQL.</summary>
public sealed class ClusterEventsTests
{
    [Fact]
    public async Task An_event_published_on_one_node_reaches_the_other_within_a_quarter_second()
    {
        await using var database = await Postgres.CreateDatabaseAsync();
        await using var nodeA = Node(database, "node-a");
        _ = nodeA.Server;
        await using var nodeB = Node(database, "node-b");
        _ = nodeB.Server;
        var received = new ConcurrentDictionary<Guid, long>();
        using var subscription = nodeA.Services.GetRequiredService<RunEvents>().Subscribe(e =>
        {
            if (e.Kind == RunEvent.TaskProgress)
            {
                received.TryAdd(e.RunId, Stopwatch.GetTimestamp());
            }
        });
        var publisher = nodeB.Services.GetRequiredService<RunEvents>();

        // The listener connects in the background: wait until one event gets through, then measure.
        var probe = Guid.NewGuid();
        await Eventually.Until(() =>
        {
            publisher.Publish(new RunEvent(probe, RunEvent.TaskProgress, "train", TaskState.Running, 1));
            return received.ContainsKey(probe);
        }, "the first event from node B on node A", TimeSpan.FromSeconds(20));

        var latencies = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var runId = Guid.NewGuid();
            var sent = Stopwatch.GetTimestamp();
            publisher.Publish(new RunEvent(runId, RunEvent.TaskProgress, "train", TaskState.Running, 50, "half way"));
            await Eventually.Until(() => received.ContainsKey(runId), $"event {i} on node A", TimeSpan.FromSeconds(5));
            latencies.Add(Stopwatch.GetElapsedTime(sent, received[runId]).TotalMilliseconds);
        }

        latencies.Sort();
        Assert.True(latencies[latencies.Count / 2] < 250, $"median cross-node latency {latencies[latencies.Count / 2]:0} ms");
        Assert.Equal("node-b", nodeB.Services.GetRequiredService<ExecutorNode>().Id);
    }

    private static ControlPlaneApp Node(ITestDatabase database, string nodeId)
    {
        var app = new ControlPlaneApp(database) { OwnsStorage = false };
        app.Settings["ControlPlane:Executor:Clustered"] = "true";
        app.Settings["ControlPlane:Executor:NodeId"] = nodeId;
        app.Settings["ControlPlane:Executor:ClusterCheckinSeconds"] = "2";
        return app;
    }
}
