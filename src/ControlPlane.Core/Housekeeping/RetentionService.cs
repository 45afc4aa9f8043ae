using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Housekeeping;

/// <summary>What one kind's purge removed; <see cref="Before"/> is null when the kind is kept forever (0 days).</summary>
public sealed record PurgeResult(string Kind, int Days, DateTime? Before, long Removed)
{
    public string Describe() => Before is { } before
        ? $"{Kind}: removed {Removed:N0} rows older than {Days} days (before {before:yyyy-MM-dd HH:mm} UTC)"
        : $"{Kind}: kept forever (0 days)";
}

/// <summary>
/// Removes data older than <see cref="RetentionOptions"/> allows, in short statements so neither provider holds a long
/// lock: per enrollment for the enrollment-keyed tables (their indexes lead with the enrollment), in batches of
/// <see cref="BatchSize"/> rows for the prediction log, by run for run logs.
/// </summary>
public sealed class RetentionService(IDbContextFactory<ControlPlaneDbContext> dbs, IOptions<ControlPlaneOptions> options, TimeProvider time)
{
    public const string PredictionLog = "prediction-log";
    public const string Notifications = "notifications";
    public const string RunLogs = "run-logs";
    public const string Monitoring = "monitoring-results";
    public const int BatchSize = 5_000;
    private const int RunsPerBatch = 200;

    public static IReadOnlyList<string> Kinds { get; } = [PredictionLog, Notifications, RunLogs, Monitoring];

    /// <summary>Purges one kind; <paramref name="progress"/> gets a percentage and a line now and then.</summary>
    public async Task<PurgeResult> PurgeAsync(string kind, Func<double, string, Task>? progress = null, CancellationToken ct = default)
    {
        var retention = options.Value.Retention;
        var days = kind switch
        {
            PredictionLog => retention.PredictionLogDays,
            Notifications => retention.NotificationDays,
            RunLogs => retention.RunLogDays,
            Monitoring => retention.MonitoringDays,
            _ => throw new ArgumentException($"Unknown kind '{kind}'; known: {string.Join(", ", Kinds)}.", nameof(kind)),
        };
        if (days <= 0)
        {
            return new PurgeResult(kind, 0, null, 0);
        }

        var before = Clock.UtcNow(time).AddDays(-days);
        progress ??= (_, _) => Task.CompletedTask;
        var removed = kind switch
        {
            PredictionLog => await PerEnrollmentAsync((db, id) => InBatchesAsync(db.PredictionLog.Where(e => e.EnrollmentId == id && e.At < before)
                .OrderBy(e => e.Id), ct), progress, ct),
            Notifications => await NotificationsAsync(before, ct), // their deliveries go with them (ON DELETE CASCADE)
            RunLogs => await RunLogsAsync(before, progress, ct),
            _ => await PerEnrollmentAsync(async (db, id) =>
                // A drift window's feature rows go with it (ON DELETE CASCADE).
                (long)await db.DriftWindows.Where(w => w.EnrollmentId == id && w.Day < before).ExecuteDeleteAsync(ct)
                + await db.DriftDayCounts.Where(d => d.EnrollmentId == id && d.Day < before).ExecuteDeleteAsync(ct)
                + await db.PerformanceWindows.Where(w => w.EnrollmentId == id && w.Day < before).ExecuteDeleteAsync(ct)
                + await db.SlaResults.Where(r => r.EnrollmentId == id && r.Day < before).ExecuteDeleteAsync(ct)
                + await db.PredictLatencyDays.Where(l => l.EnrollmentId == id && l.Day < before).ExecuteDeleteAsync(ct), progress, ct),
        };
        return new PurgeResult(kind, days, before, removed);
    }

    private async Task<long> PerEnrollmentAsync(
        Func<ControlPlaneDbContext, Guid, Task<long>> purge, Func<double, string, Task> progress, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollments = await db.Enrollments.AsNoTracking().OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(ct);
        long removed = 0;
        for (var i = 0; i < enrollments.Count; i++)
        {
            removed += await purge(db, enrollments[i]);
            if (i % 100 == 99)
            {
                await progress(100.0 * (i + 1) / enrollments.Count, $"{i + 1:N0} of {enrollments.Count:N0} enrollments, {removed:N0} rows removed");
            }
        }

        return removed;
    }

    private async Task<long> NotificationsAsync(DateTime before, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await InBatchesAsync(db.Notifications.Where(n => n.CreatedAt < before).OrderBy(n => n.CreatedAt), ct);
    }

    /// <summary>Deletes the rows in the query's order, <see cref="BatchSize"/> per statement, until none is left.</summary>
    private static async Task<long> InBatchesAsync<T>(IOrderedQueryable<T> rows, CancellationToken ct)
    {
        long removed = 0;
        int batch;
        do
        {
            batch = await rows.Take(BatchSize).ExecuteDeleteAsync(ct);
            removed += batch;
        }
        while (batch == BatchSize);

        return removed;
    }

    private async Task<long> RunLogsAsync(DateTime before, Func<double, string, Task> progress, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        // Runs finished before the cutoff that still have lines (runs are indexed by creation time, lines by run).
        var old = db.PipelineRuns.AsNoTracking()
            .Where(r => r.CreatedAt < before && r.FinishedAt != null && r.FinishedAt < before && db.AttemptLogLines.Any(l => l.RunId == r.Id));
        var total = await old.CountAsync(ct);
        long removed = 0;
        for (var done = 0; ;)
        {
            var ids = await old.OrderBy(r => r.CreatedAt).Select(r => r.Id).Take(RunsPerBatch).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return removed;
            }

            removed += await db.AttemptLogLines.Where(l => ids.Contains(l.RunId)).ExecuteDeleteAsync(ct);
            done += ids.Count;
            await progress(100.0 * Math.Min(done, total) / Math.Max(total, 1), $"{done:N0} of {total:N0} runs, {removed:N0} lines removed");
        }
    }
}
