using ControlPlane.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Core.Data;

/// <summary>
/// Readiness of writes (issue 16, point 8): a database that answers reads but refuses writes (a full disk, a read-only
/// replica after a failover) left every save failing while <c>/health/ready</c> said Healthy. This check writes a row
/// (an <see cref="AppSetting"/> per node) and a small file in every region's store, and deletes the file. A failed
/// database write is Unhealthy (nothing can be saved); a failed region store is Degraded (serving from loaded models
/// goes on; uploads, training and scoring into that region fail). Results are kept five seconds, so a busy probe does
/// not turn into a write load. Descriptions are fixed texts: the probe is anonymous.
/// </summary>
public sealed class WriteHealthCheck(IDbContextFactory<ControlPlaneDbContext> dbs, RegionCatalog regions, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan Kept = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly string _probe = $"health.write.{Environment.MachineName}.{Environment.ProcessId}";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (long At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetElapsedTime(last.At) < Kept)
            {
                return last.Result;
            }

            var result = await ProbeAsync(cancellationToken);
            _last = (time.GetTimestamp(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(limit.Token);
            var now = time.GetUtcNow().UtcDateTime;
            var stamp = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            if (await db.AppSettings.Where(s => s.Key == _probe).ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, stamp).SetProperty(x => x.UpdatedAt, now), limit.Token) == 0)
            {
                db.AppSettings.Add(new AppSetting { Key = _probe, Value = stamp, UpdatedAt = now });
                await db.SaveChangesAsync(limit.Token);
            }

            // Rows of processes long gone (one per process start).
            var stale = now.AddDays(-1);
            await db.AppSettings.Where(s => s.Key.StartsWith("health.write.") && s.UpdatedAt < stale).ExecuteDeleteAsync(limit.Token);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Writes to the database fail.");
        }

        var failed = new List<string>();
        foreach (var region in regions.Regions)
        {
            try
            {
                var store = regions.StoreFor(region.Name);
                var path = $"health/{_probe}.txt";
                await store.WriteAsync(path, new MemoryStream("ok"u8.ToArray()), limit.Token);
                await store.DeleteAsync(path, limit.Token);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                failed.Add(region.Name);
            }
        }

        return failed.Count == 0
            ? HealthCheckResult.Healthy("Writes to the database and every region store succeed.")
            : HealthCheckResult.Degraded($"Writes to the store of region {string.Join(", ", failed)} fail.");
    }
}
