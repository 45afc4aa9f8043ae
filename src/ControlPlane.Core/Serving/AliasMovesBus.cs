using System.Threading.Channels;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ControlPlane.Core.Serving;

/// <summary>
/// Carries alias moves between the nodes of a PostgreSQL deployment with LISTEN/NOTIFY on the shared database, so every
/// node drops a moved champion at once rather than within <see cref="ChampionDirectory.RefreshInterval"/>. A node
/// ignores its own notifications. Nothing to do on SQLite (one node).
/// </summary>
public sealed class AliasMovesBus(AliasMoves moves, IOptions<ControlPlaneOptions> options, ILogger<AliasMovesBus> logger) : BackgroundService
{
    public const string Channel = "controlplane_alias_moves";

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

    private string ConnectionString => DatabaseSetup.PostgresConnectionString(options.Value.Database.ConnectionString!);

    private async Task SendLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var batch = new List<Guid>();
            try
            {
                await _outgoing.Reader.WaitToReadAsync(ct);
                while (_outgoing.Reader.TryRead(out var id))
                {
                    batch.Add(id);
                }

                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(ct);
                foreach (var id in batch.Distinct())
                {
                    await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                    notify.Parameters.AddWithValue("channel", Channel);
                    notify.Parameters.AddWithValue("payload", $"{_origin}:{id:N}");
                    await notify.ExecuteNonQueryAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The other nodes still see the move within the directory's refresh interval.
                logger.LogWarning(ex, "Could not tell the other nodes about {Count} alias move(s)", batch.Count);
                await Task.Delay(1000, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        moves.MovedHere -= Enqueue;
    }

    private async Task ListenLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // The configured string as is: this connection keeps a LISTEN, which must not return to a shared pool unreset.
                await using var connection = new NpgsqlConnection(options.Value.Database.ConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, n) => Receive(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                _listening.TrySetResult();
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Listening for other nodes' alias moves failed; retrying");
                await Task.Delay(1000, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Receive(string payload)
    {
        var parts = payload.Split(':');
        if (parts.Length == 2 && parts[0] != _origin && Guid.TryParseExact(parts[1], "N", out var enrollmentId))
        {
            moves.RaiseFromOtherNode(enrollmentId);
        }
    }
}
