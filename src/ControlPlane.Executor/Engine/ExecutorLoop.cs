using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// The executor node's heartbeat: dispatches when signalled or on every poll, stops local attempts whose run was
/// cancelled or timed out, and now and then repairs what a crash can leave behind (claimed attempts without a job,
/// runs whose tasks all finished, runs past their deadline).
/// </summary>
public sealed class ExecutorLoop(
    Dispatcher dispatcher,
    DagEngine engine,
    LocalAttempts local,
    IAttemptLauncher launcher,
    NodeLiveness liveness,
    IDbContextFactory<ControlPlaneDbContext> dbs,
    ExecutorNode node,
    TimeProvider time,
    ILogger<ExecutorLoop> logger) : BackgroundService
{
    private static readonly TimeSpan RepairInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan OrphanAge = TimeSpan.FromSeconds(10);
    private long _lastBeat;

    /// <summary>When the loop last began a cycle (a <see cref="TimeProvider.GetTimestamp"/> value; 0 before the first).</summary>
    public long LastBeat => Interlocked.Read(ref _lastBeat);

    /// <summary>True while the loop runs: started, and neither stopped nor failed out of its loop.</summary>
    public bool IsRunning => ExecuteTask is { IsCompleted: false };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        engine.WorkReady += dispatcher.Signal;
        var lastRepair = 0L;
        logger.LogInformation("Executor node {Node} started", node.Id);
        while (!stoppingToken.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _lastBeat, time.GetTimestamp());
            try
            {
                await liveness.BeatAsync(stoppingToken);
                await dispatcher.DispatchOnceAsync(stoppingToken);
                await StopCancelledAsync(stoppingToken);
                if (time.GetElapsedTime(lastRepair) >= RepairInterval)
                {
                    lastRepair = time.GetTimestamp();
                    await RepairAsync(stoppingToken);
                }

                await dispatcher.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Executor loop on {Node} failed; retrying", node.Id);
                await Task.Delay(500, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        engine.WorkReady -= dispatcher.Signal;
        try
        {
            await liveness.ForgetSelfAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Node {Node} could not remove its heartbeat; other nodes will see it go quiet", node.Id);
        }
    }

    private async Task StopCancelledAsync(CancellationToken ct)
    {
        if (local.Count == 0)
        {
            return;
        }

        var ids = local.TaskRunIds;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var stopped = await db.TaskRuns.Where(t => ids.Contains(t.Id) && t.State == TaskState.Cancelled).Select(t => t.Id).ToListAsync(ct);
        if (stopped.Count > 0)
        {
            local.CancelTasks(stopped);
        }

        // Attempts another node handed back while this one was silent (a long pause, a cut connection): stop them
        // here, so the task does not run on two nodes at once.
        var attemptIds = local.AttemptIds;
        var settled = await db.TaskAttempts.Where(a => attemptIds.Contains(a.Id) && a.State != AttemptState.Running && a.State != AttemptState.Dispatched)
            .Select(a => a.Id).ToListAsync(ct);
        if (settled.Count > 0)
        {
            logger.LogWarning("Stopping {Count} attempt(s) on {Node} that another node handed back", settled.Count, node.Id);
            local.CancelAttempts(settled);
        }
    }

    private async Task RepairAsync(CancellationToken ct)
    {
        await liveness.RecoverAsync(ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = Clock.UtcNow(time);

        // Runs past their own time limit.
        foreach (var runId in await db.PipelineRuns.Where(r => r.DeadlineAt != null && r.DeadlineAt < now
                     && (r.State == RunState.Queued || r.State == RunState.Running)).Select(r => r.Id).ToListAsync(ct))
        {
            logger.LogWarning("Run {RunId} exceeded its time limit", runId);
            await engine.FailRunAsync(runId, "The run exceeded its time limit.", ct);
        }

        // Claimed attempts whose job never reached the job store (the claiming node died in between).
        var orphanBefore = now - OrphanAge;
        var claimed = await db.TaskAttempts.Where(a => a.State == AttemptState.Dispatched && a.DispatchedAt < orphanBefore)
            .OrderBy(a => a.DispatchedAt).Select(a => a.Id).Take(100).ToListAsync(ct);
        foreach (var attemptId in claimed)
        {
            if (!await launcher.ExistsAsync(attemptId, ct))
            {
                logger.LogWarning("Attempt {AttemptId} was claimed but never launched; launching it now", attemptId);
                await launcher.LaunchAsync(attemptId, ct);
            }
        }

        // Runs whose tasks all finished but whose own state did not follow.
        var unsettled = await db.PipelineRuns
            .Where(r => (r.State == RunState.Queued || r.State == RunState.Running) && r.ChildCount == 0
                && !db.TaskRuns.Any(t => t.RunId == r.Id && t.State != TaskState.Succeeded && t.State != TaskState.Failed
                    && t.State != TaskState.UpstreamFailed && t.State != TaskState.Cancelled))
            .OrderBy(r => r.CreatedAt).Select(r => r.Id).Take(100).ToListAsync(ct);
        foreach (var runId in unsettled)
        {
            await engine.SettleAsync(runId, ct);
        }
    }
}
