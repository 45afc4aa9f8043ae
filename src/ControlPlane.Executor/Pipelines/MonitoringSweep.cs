using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// Every <see cref="MonitoringOptions.SweepInterval"/> starts one <c>monitor-all</c> run per use case that has
/// enrollments, on one node of a cluster (see <see cref="ClaimedSweep"/>). A use case whose previous monitor-all run has
/// not finished is skipped.
/// </summary>
public sealed class MonitoringSweep(
    IDbContextFactory<ControlPlaneDbContext> dbs, RunService runs, IOptions<ControlPlaneOptions> options, TimeProvider time,
    ILogger<MonitoringSweep> logger) : ClaimedSweep(dbs, time, logger)
{
    public const string Key = "monitoring.sweep.due";
    public const string Actor = "monitoring";

    protected override string DueKey => Key;
    protected override TimeSpan Interval => options.Value.Monitoring.SweepInterval;
    protected override string Title => "monitoring sweep";
    protected override string IntervalSetting => "ControlPlane:Monitoring:SweepInterval";

    protected override Task SweepAsync(CancellationToken ct) => StartSweepAsync(ct);

    /// <summary>Starts a monitor-all run per use case with enrollments, except those whose previous one is unfinished; returns the use cases started.</summary>
    public async Task<IReadOnlyList<string>> StartSweepAsync(CancellationToken ct)
    {
        List<string> useCases;
        HashSet<string> busy;
        await using (var db = await Dbs.CreateDbContextAsync(ct))
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
                Logger.LogWarning("Monitoring sweep skipped {UseCase}: its previous {Pipeline} run has not finished", useCase, MonitoringPipelines.MonitorAll);
                continue;
            }

            var run = await runs.StartAsync(new StartRunRequest { Pipeline = MonitoringPipelines.MonitorAll, UseCase = useCase }, "schedule", Actor, ct);
            if (run.IsOk)
            {
                started.Add(useCase);
                Logger.LogInformation("Monitoring sweep started run {RunId} for {UseCase}", run.Value!.Id, useCase);
            }
            else
            {
                Logger.LogWarning("Monitoring sweep could not start {Pipeline} for {UseCase}: {Problem}", MonitoringPipelines.MonitorAll, useCase, run.Message);
            }
        }

        return started;
    }
}
