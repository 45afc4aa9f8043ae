using System.Collections.Concurrent;
using ControlPlane.Core.Options;
using ControlPlane.Core.Serving;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.IntegrationTests.Serving;

/// <summary>Two nodes' buses on one real PostgreSQL database: a champion moved on one node is dropped on the other at once.</summary>
public sealed class AliasMovesBusTests
{
    [Fact]
    public async Task A_move_on_one_node_reaches_the_other_once_and_is_not_echoed_back()
    {
        await using var database = await Postgres.CreateDatabaseAsync();
        var options = Microsoft.Extensions.Options.Options.Create(new ControlPlaneOptions
        {
            Database = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = database.ConnectionString },
        });
        var (nodeA, nodeB) = (new AliasMoves(), new AliasMoves());
        using var busA = new AliasMovesBus(nodeA, options, NullLogger<AliasMovesBus>.Instance);
        using var busB = new AliasMovesBus(nodeB, options, NullLogger<AliasMovesBus>.Instance);
        await busA.StartAsync(CancellationToken.None);
        await busB.StartAsync(CancellationToken.None);
        await Task.WhenAll(busA.Listening, busB.Listening).WaitAsync(TimeSpan.FromSeconds(30));
        var (seenByA, seenByB) = (new ConcurrentQueue<Guid>(), new ConcurrentQueue<Guid>());
        nodeA.Moved += seenByA.Enqueue;
        nodeB.Moved += seenByB.Enqueue;
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        nodeA.Raise(first);
        nodeB.Raise(second);
        await Eventually.Until(() => seenByB.Contains(first) && seenByA.Contains(second), "each node to hear of the other's move");
        await Task.Delay(500); // room for an echo, were there one

        Assert.Equal([first, second], seenByA.ToArray());
        Assert.Equal([second, first], seenByB.ToArray());
        await busA.StopAsync(CancellationToken.None);
        await busB.StopAsync(CancellationToken.None);
    }
}
