using System.Threading.Channels;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Serving;

/// <summary>
/// Carries alias moves between the nodes of a PostgreSQL deployment with LISTEN/NOTIFY on the shared database, so every
/// node drops a moved champion at once rather than within <see cref="ChampionDirectory.RefreshInterval"/>. A node
/// ignores its own notifications. Nothing to do on SQLite (one node).
/// </summary>
public sealed class AliasMovesBus(AliasMoves moves, IOptions<ControlPlaneOptions> options, ILogger<AliasMovesBus> logger) : BackgroundService
{
    public const string ChannelName = "controlplane_alias_moves";

    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly Channel<Guid> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<Guid>();

    /// <summary>Completes once this node listens (tests wait for it before moving an alias elsewhere).</summary>
    public Task Listening => _listening.Task;

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Database.Provider != DatabaseProvider.Postgres)
        {
            _listening.TrySetResult();
            return Task.CompletedTask;
        }

        moves.MovedHere += Enqueue;
        return Task.WhenAll(SendLoopAsync(stoppingToken), ListenLoopAsync(stoppingToken));
    }

    private void Enqueue(Guid enrollmentId) => _outgoing.Writer.TryWrite(enrollmentId);

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            // The other nodes still see a lost move within the directory's refresh interval.
            await PgChannel().SendQueuedAsync(_outgoing.Reader, batch => batch.Distinct().Select(id => $"{_origin}:{id:N}"),
                (ex, count) => logger.LogWarning(ex, "Could not tell the other nodes about {Count} alias move(s)", count), ct);
        }
        finally
        {
            moves.MovedHere -= Enqueue;
        }
    }

    private Task ListenLoopAsync(CancellationToken ct) => PgChannel().ListenAsync(Receive, () => _listening.TrySetResult(), ct);

    private PostgresChannel PgChannel() => new(ChannelName, options.Value.Database.ConnectionString!, logger);

    private void Receive(string payload)
    {
        var parts = payload.Split(':');
        if (parts.Length == 2 && parts[0] != _origin && Guid.TryParseExact(parts[1], "N", out var enrollmentId))
        {
            moves.RaiseFromOtherNode(enrollmentId);
        }
    }
}
