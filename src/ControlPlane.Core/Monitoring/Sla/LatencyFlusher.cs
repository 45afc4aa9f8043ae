using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Core.Monitoring.Sla;

/// <summary>
/// Every 30 seconds (and on shutdown) adds this node's drained predict latency counts to its own
/// <see cref="PredictLatencyDay"/> row per enrollment and day. Only this node writes its rows, so a read-add-write
/// needs no cross-node coordination; counts that could not be stored go back to the recorder for the next flush.
/// </summary>
public sealed class LatencyFlusher(
    PredictLatencyRecorder recorder, IDbContextFactory<ControlPlaneDbContext> dbs, IConfiguration configuration,
    TimeProvider time, ILogger<LatencyFlusher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>One flush at a time in this process: two would read the same row and one addition would be lost.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The executor's node id when configured, else the same machine-and-process name the executor uses.</summary>
    public string Node { get; } = configuration["ControlPlane:Executor:NodeId"] is { Length: > 0 } id
        ? id
        : $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}";

    /// <summary>Stores what was recorded since the last flush; returns the enrollments written.</summary>
    public async Task<int> FlushAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await FlushOnceAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> FlushOnceAsync(CancellationToken ct)
    {
        var drained = recorder.Drain();
        if (drained.Count == 0)
        {
            return 0;
        }

        var now = Clock.UtcNow(time);
        var day = now.Date;
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var ids = drained.Select(d => d.EnrollmentId).ToList();
            var rows = await db.PredictLatencyDays
                .Where(r => r.Day == day && r.Node == Node && ids.Contains(r.EnrollmentId))
                .ToDictionaryAsync(r => r.EnrollmentId, ct);
            var known = await db.Enrollments.Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToListAsync(ct);
            foreach (var (id, counts) in drained.Where(d => known.Contains(d.EnrollmentId)))
            {
                if (!rows.TryGetValue(id, out var row))
                {
                    row = new PredictLatencyDay { EnrollmentId = id, Day = day, Node = Node, Buckets = "" };
                    db.PredictLatencyDays.Add(row);
                }

                var merged = new long[LatencyBuckets.Count];
                LatencyBuckets.Add(merged, row.Buckets);
                for (var i = 0; i < merged.Length; i++)
                {
                    merged[i] += counts[i];
                }

                row.Buckets = LatencyBuckets.Format(merged);
                row.Count = merged.Sum();
                row.UpdatedAt = now;
            }

            await db.SaveChangesAsync(ct);
            return known.Count;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Predict latencies could not be stored; they are kept for the next flush.");
            foreach (var (id, counts) in drained)
            {
                recorder.Restore(id, counts);
            }

            return 0;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: the final flush below.
        }

        await FlushAsync(CancellationToken.None);
    }
}
