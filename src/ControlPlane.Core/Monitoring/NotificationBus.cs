using System.Threading.Channels;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Monitoring;

/// <summary>
/// Carries notification events (and the health and delivery changes that travel with them) between the nodes of a PostgreSQL deployment with LISTEN/NOTIFY, so a bell on node A
/// counts an alert raised on node B at once. Only the kind and id travel (receivers re-read the database), which keeps
/// every payload far under the 8000-byte limit. A node ignores its own. Nothing to do on SQLite (one node).
/// </summary>
public sealed class NotificationBus(NotificationEvents events, IOptions<ControlPlaneOptions> options, ILogger<NotificationBus> logger)
    : BackgroundService
{
    public const string ChannelName = "controlplane_notifications";

    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly Channel<NotificationEvent> _outgoing = Channel.CreateUnbounded<NotificationEvent>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Database.Provider != DatabaseProvider.Postgres)
        {
            return Task.CompletedTask;
        }

        events.PublishedLocally += Enqueue;
        return Task.WhenAll(SendLoopAsync(stoppingToken), PgChannel().ListenAsync(Receive, null, stoppingToken));
    }

    private void Enqueue(NotificationEvent e) => _outgoing.Writer.TryWrite(e);

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            // The notifications are stored; other nodes' bells show them on their next read if a batch is lost.
            await PgChannel().SendQueuedAsync(_outgoing.Reader, batch => batch.Select(e => $"{_origin}:{e.Kind}:{e.Id:N}"),
                (ex, count) => logger.LogWarning(ex, "Could not tell the other nodes about {Count} notification event(s)", count), ct);
        }
        finally
        {
            events.PublishedLocally -= Enqueue;
        }
    }

    private PostgresChannel PgChannel() => new(ChannelName, options.Value.Database.ConnectionString!, logger);

    private void Receive(string payload)
    {
        var parts = payload.Split(':');
        if (parts.Length == 3 && parts[0] != _origin)
        {
            events.DeliverRemote(new NotificationEvent(parts[1], Guid.TryParseExact(parts[2], "N", out var id) ? id : null));
        }
    }
}
