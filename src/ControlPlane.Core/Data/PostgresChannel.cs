using Microsoft.Extensions.Logging;
using Npgsql;

namespace ControlPlane.Core.Data;

/// <summary>
/// One LISTEN/NOTIFY channel on the PostgreSQL database every node shares: how nodes tell each other things without a
/// message broker. Sending opens a pooled connection per batch; listening keeps one connection of its own (it holds a
/// LISTEN, so it uses the configured connection string as is) and reconnects after a failure.
/// </summary>
public sealed class PostgresChannel(string name, string connectionString, ILogger logger)
{
    /// <summary>NOTIFY payloads must stay under 8,000 bytes.</summary>
    public const int MaxPayload = 7000;

    public async Task NotifyAsync(IEnumerable<string> payloads, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(DatabaseSetup.PostgresConnectionString(connectionString));
        await connection.OpenAsync(ct);
        foreach (var payload in payloads)
        {
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", name);
            notify.Parameters.AddWithValue("payload", payload);
            await notify.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Sends what is written to <paramref name="queue"/> until <paramref name="ct"/> fires: whatever is queued at a time
    /// (after waiting <paramref name="gather"/> for more to join it) as one batch, shaped into payloads by
    /// <paramref name="payloads"/>. A batch that cannot be sent is dropped and told to <paramref name="failed"/> with its
    /// size, then a pause; the loop goes on.
    /// </summary>
    public async Task SendQueuedAsync<T>(
        System.Threading.Channels.ChannelReader<T> queue, Func<List<T>, IEnumerable<string>> payloads, Action<Exception, int> failed,
        CancellationToken ct, TimeSpan gather = default)
    {
        while (!ct.IsCancellationRequested)
        {
            var batch = new List<T>();
            try
            {
                await queue.WaitToReadAsync(ct);
                if (gather > TimeSpan.Zero)
                {
                    await Task.Delay(gather, ct);
                }

                while (queue.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await NotifyAsync(payloads(batch), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failed(ex, batch.Count);
                await PauseAsync(ct);
            }
        }
    }

    /// <summary>Calls <paramref name="receive"/> with every payload until <paramref name="ct"/> fires; <paramref name="listening"/> after each (re)connection.</summary>
    public async Task ListenAsync(Action<string> receive, Action? listening, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, n) => receive(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {name}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                listening?.Invoke();
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
                logger.LogWarning(ex, "Listening on {Channel} failed; reconnecting", name);
                await PauseAsync(ct);
            }
        }
    }

    /// <summary>A second's pause after a failure that ends quietly when <paramref name="ct"/> fires.</summary>
    public static Task PauseAsync(CancellationToken ct) => Task.Delay(1000, ct).ContinueWith(_ => { }, TaskScheduler.Default);
}
