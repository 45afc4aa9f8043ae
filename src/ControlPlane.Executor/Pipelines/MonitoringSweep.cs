using System.Globalization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// Every <see cref="MonitoringOptions.SweepInterval"/> starts one <c>monitor-all</c> run per use case that has
/// enrollments. Runs on every executing node; the node that moves the shared due time (an app setting, by a conditional
/// UPDATE) starts the sweep, so a cluster sweeps once per interval. The first sweep is one interval after the first
/// node started, never at start-up. A use case whose previous monitor-all run has not finished is skipped.
/// </summary>
public sealed class MonitoringSweep(
    IDbContextFactory<ControlPlaneDbContext> dbs, RunService runs, IOptions<ControlPlaneOptions> options, TimeProvider time,
    ILogger<MonitoringSweep> logger) : BackgroundService
{
    public const string DueKey = "monitoring.sweep.due";
    public const string Actor = "monitoring";

    private static readonly TimeSpan Poll = TimeSpan.FromMinutes(1);

    private TimeSpan Interval => options.Value.Monitoring.SweepInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval <= TimeSpan.Zero)
        {
            logger.LogInformation("The monitoring sweep is off (ControlPlane:Monitoring:SweepInterval is zero)");
            return;
        }

        using var timer = new PeriodicTimer(Poll < Interval ? Poll : Interval, time);
        try
        {
            do
            {
                try
                {
                    if (await ClaimAsync(stoppingToken))
                    {
                        await StartSweepAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "The monitoring sweep failed; trying again in {Poll}", Poll);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>True when this node moved the due time and so owns this sweep.</summary>
    public async Task<bool> ClaimAsync(CancellationToken ct)
    {
        var now = Clock.UtcNow(time);
        var next = (now + Interval).ToString("O", CultureInfo.InvariantCulture);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var due = await db.AppSettings.AsNoTracking().Where(s => s.Key == DueKey).Select(s => s.Value).FirstOrDefaultAsync(ct);
        if (due is null)
        {
            db.AppSettings.Add(new AppSetting { Key = DueKey, Value = next, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node set the first due time.
            }

            return false;
        }

        if (DateTime.TryParse(due, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dueAt) && dueAt.ToUniversalTime() > now)
        {
            return false;
        }

        return await db.AppSettings.Where(s => s.Key == DueKey && s.Value == due)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, next).SetProperty(x => x.UpdatedAt, now), ct) == 1;
    }

    /// <summary>Starts a monitor-all run per use case with enrollments, except those whose previous one is unfinished; returns the use cases started.</summary>
    public async Task<IReadOnlyList<string>> StartSweepAsync(CancellationToken ct)
    {
        List<string> useCases;
        HashSet<string> busy;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            useCases = await db.UseCases.AsNoTracking().Where(u => db.Enrollments.Any(e => e.UseCaseId == u.Id))
                .OrderBy(u => u.Key).Select(u => u.Key).ToListAsync(ct);
            busy = (await db.PipelineRuns.AsNoTracking()
                .Where(r => r.Pipeline == MonitoringPipelines.MonitorAll && (r.State == RunState.Queued || r.State == RunState.Running))
                .Select(r => r.UseCase!).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        }

        var started = new List<string>();
        foreach (var useCase in useCases)
        {
            if (busy.Contains(useCase))
            {
                // The previous sweep of this use case is still going (many tenants): never two at once.
                logger.LogWarning("Monitoring sweep skipped {UseCase}: its previous {Pipeline} run has not finished", useCase, MonitoringPipelines.MonitorAll);
                continue;
            }

            var run = await runs.StartAsync(new StartRunRequest { Pipeline = MonitoringPipelines.MonitorAll, UseCase = useCase }, "schedule", Actor, ct);
            if (run.IsOk)
            {
                started.Add(useCase);
                logger.LogInformation("Monitoring sweep started run {RunId} for {UseCase}", run.Value!.Id, useCase);
            }
            else
            {
                logger.LogWarning("Monitoring sweep could not start {Pipeline} for {UseCase}: {Problem}", MonitoringPipelines.MonitorAll, useCase, run.Message);
            }
        }

        return started;
    }
}
