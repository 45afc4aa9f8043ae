using ControlPlane.Core.Data;
using ControlPlane.Core.Housekeeping;
using ControlPlane.Core.Options;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Definitions;
using ControlPlane.Executor.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// "housekeeping": removes what <see cref="RetentionOptions"/> no longer keeps, one task per kind, one after the other
/// (on SQLite they would only wait for each other's write lock). Runs without a tenant or use case; the
/// <see cref="HousekeepingSweep"/> starts it daily, an admin may start it any time.
/// </summary>
public static class HousekeepingPipelines
{
    public const string Name = "housekeeping";

    public static PipelineDefinition Definition() => Pipeline.Define(Name, p =>
    {
        p.Describe("Removes data older than the retention settings: sampled real-time predictions, notifications, run logs, monitoring results.")
            .AdminOnly();
        string? previous = null;
        foreach (var kind in RetentionService.Kinds)
        {
            var task = p.Task(kind, ctx => PurgeAsync(ctx, kind)).Timeout(TimeSpan.FromHours(6)).Retry(2, TimeSpan.FromMinutes(1));
            if (previous is not null)
            {
                task.After(previous);
            }

            previous = kind;
        }
    });

    private static async Task PurgeAsync(TaskContext ctx, string kind)
    {
        var result = await ctx.Services.GetRequiredService<RetentionService>().PurgeAsync(kind, ctx.ReportProgressAsync, ctx.CancellationToken);
        ctx.Log.LogInformation("{Result}", result.Describe());
        await ctx.ReportProgressAsync(100, result.Describe());
    }
}

/// <summary>Starts the housekeeping run every <see cref="RetentionOptions.SweepInterval"/> on one node, unless one is unfinished.</summary>
public sealed class HousekeepingSweep(
    IDbContextFactory<ControlPlaneDbContext> dbs, RunService runs, IOptions<ControlPlaneOptions> options, TimeProvider time,
    ILogger<HousekeepingSweep> logger) : ClaimedSweep(dbs, time, logger)
{
    public const string Key = "housekeeping.sweep.due";
    public const string Actor = "housekeeping";

    protected override string DueKey => Key;
    protected override TimeSpan Interval => options.Value.Retention.SweepInterval;
    protected override string Title => "housekeeping sweep";
    protected override string IntervalSetting => "ControlPlane:Retention:SweepInterval";

    protected override async Task SweepAsync(CancellationToken ct) => await StartRunAsync(ct);

    /// <summary>The run started, or null when the previous one has not finished.</summary>
    public async Task<Guid?> StartRunAsync(CancellationToken ct)
    {
        await using (var db = await Dbs.CreateDbContextAsync(ct))
        {
            if (await db.PipelineRuns.AnyAsync(r => r.Pipeline == HousekeepingPipelines.Name && (r.State == RunState.Queued || r.State == RunState.Running), ct))
            {
                Logger.LogWarning("Housekeeping skipped: the previous {Pipeline} run has not finished", HousekeepingPipelines.Name);
                return null;
            }
        }

        var run = await runs.StartAsync(new StartRunRequest { Pipeline = HousekeepingPipelines.Name }, "schedule", Actor, ct);
        if (!run.IsOk)
        {
            throw new InvalidOperationException($"Could not start {HousekeepingPipelines.Name}: {run.Message}");
        }

        Logger.LogInformation("Housekeeping started run {RunId}", run.Value!.Id);
        return run.Value.Id;
    }
}
