using System.Text.Json;
using System.Threading.Channels;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// Carries run events between the nodes of a PostgreSQL cluster with LISTEN/NOTIFY, so that progress of a task running
/// on node B reaches a browser whose circuit lives on node A. Events are batched for at most 50 ms; a node ignores its
/// own. The database is the one every node already shares, so the cluster needs no message broker.
/// </summary>
public sealed class ClusterEventBus(
    RunEvents events, ExecutorNode node, IOptions<ControlPlaneOptions> options, ILogger<ClusterEventBus> logger) : BackgroundService
{
    public const string Channel = "controlplane_run_events";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Channel<RunEvent> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<RunEvent>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Database.Provider != DatabaseProvider.Postgres)
        {
            return Task.CompletedTask;
        }

        events.PublishedLocally += Enqueue;
        return Task.WhenAll(SendLoopAsync(stoppingToken), ListenLoopAsync(stoppingToken));
    }

    private void Enqueue(RunEvent e) => _outgoing.Writer.TryWrite(e);

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            // A moment's wait lets a burst of events (a run's tasks changing together) travel as one batch.
            await PgChannel().SendQueuedAsync(_outgoing.Reader, Payloads,
                (ex, count) => logger.LogWarning(ex, "Could not send {Count} run events to the cluster; dropping them", count), ct,
                gather: TimeSpan.FromMilliseconds(50));
        }
        finally
        {
            events.PublishedLocally -= Enqueue;
        }
    }

    private IEnumerable<string> Payloads(List<RunEvent> batch)
    {
        var chunk = new List<RunEvent>();
        foreach (var e in batch)
        {
            chunk.Add(e.Message is { Length: > 1000 } m ? e with { Message = m[..1000] + "…" } : e);
            var text = Serialize(chunk);
            if (text.Length > PostgresChannel.MaxPayload && chunk.Count > 1)
            {
                chunk.RemoveAt(chunk.Count - 1);
                yield return Serialize(chunk);
                chunk = [e];
            }
        }

        if (chunk.Count > 0)
        {
            yield return Serialize(chunk);
        }
    }

    private string Serialize(List<RunEvent> chunk) => JsonSerializer.Serialize(new Envelope(node.Id, chunk), Json);

    private Task ListenLoopAsync(CancellationToken ct) => PgChannel().ListenAsync(Receive, null, ct);

    private PostgresChannel PgChannel() => new(Channel, options.Value.Database.ConnectionString!, logger);

    private void Receive(string payload)
    {
        var envelope = JsonSerializer.Deserialize<Envelope>(payload, Json);
        if (envelope is null || envelope.Node == node.Id)
        {
            return;
        }

        foreach (var e in envelope.Events)
        {
            events.DeliverRemote(e);
        }
    }

    private sealed record Envelope(string Node, List<RunEvent> Events);
}
