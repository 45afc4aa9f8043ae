using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// Runs one attempt on this node: marks it running, runs the task with a token that fires on its timeout, a cancel
/// or shutdown, and hands the outcome to the engine. An attempt found already running was interrupted by a crash: it is
/// recorded as failed and the engine retries it, so no attempt ever runs twice.
/// </summary>
public sealed class AttemptRunner(
    IDbContextFactory<ControlPlaneDbContext> dbs,
    IServiceScopeFactory scopes,
    PipelineCatalog catalog,
    DagEngine engine,
    Dispatcher dispatcher,
    LocalAttempts local,
    AttemptLogSink logSink,
    ExecutorNode node,
    RunEvents events,
    TimeProvider time,
    ExecutorMetrics metrics,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger<AttemptRunner>();

    public async Task RunAsync(Guid attemptId, CancellationToken shutdown)
    {
        var start = await StartAsync(attemptId, shutdown);
        if (start is null)
        {
            return;
        }

        var (run, task, attempt) = start.Value;
        var definition = catalog.Find(run.Pipeline)?.Find(task.Name);
        if (definition is null)
        {
            await engine.CompleteAttemptAsync(attemptId, AttemptState.Failed,
                $"Pipeline '{run.Pipeline}' has no task '{task.Name}' in this version of the product.", CancellationToken.None);
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        if (definition.Timeout is { } timeout)
        {
            cancel.CancelAfter(timeout);
        }

        local.Add(attemptId, task.Id, cancel);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (outcome, error) = await ExecuteAsync(run, task, attempt, definition, cancel, shutdown);
        local.Remove(attemptId);
        metrics.AttemptFinished(run.Pipeline, task.Name, outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        await engine.CompleteAttemptAsync(attemptId, outcome, error, CancellationToken.None);
        dispatcher.Signal(); // a pool slot is free here
    }

    private async Task<(AttemptState, string?)> ExecuteAsync(
        PipelineRun run, TaskRun task, TaskAttempt attempt, TaskDefinition definition, CancellationTokenSource cancel, CancellationToken shutdown)
    {
        var appLogger = loggers.CreateLogger($"ControlPlane.Tasks.{run.Pipeline}.{task.Name}");
        // Scopes are shared by every logger of the factory: whatever the task's services log carries these too.
        using var scope = appLogger.BeginScope(new Dictionary<string, object?>
        {
            ["RunId"] = run.Id, ["TaskId"] = task.Id, ["Task"] = task.Name, ["Attempt"] = attempt.Number,
            ["Pipeline"] = run.Pipeline, ["Tenant"] = run.TenantSlug, ["UseCase"] = run.UseCase,
        });
        var log = new AttemptLogger(logSink, appLogger, run.Id, attempt.Id, task.Name);
        var progress = new ProgressWriter(dbs, events, time, run.Id, task.Id, task.Name, _logger);
        await using var services = scopes.CreateAsyncScope();
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(run.ParametersJson) ?? [];
        var context = new TaskContext(run.Id, run.Pipeline, task.Name, attempt.Number, run.TenantSlug, run.UseCase, parameters,
            services.ServiceProvider, log, progress.ReportAsync, cancel.Token);
        var started = time.GetTimestamp();
        try
        {
            log.LogInformation("Attempt {Attempt} started on {Node}; {Left} retries left after it", attempt.Number, node.Id, Math.Max(0, task.MaxAttempts - task.Attempts));
            if (definition.HandlerType is { } type)
            {
                var handler = (IPipelineTask)ActivatorUtilities.GetServiceOrCreateInstance(services.ServiceProvider, type);
                await handler.ExecuteAsync(context);
            }
            else
            {
                await definition.Delegate!(context);
            }

            await progress.FlushAsync();
            log.LogInformation("Attempt {Attempt} succeeded in {Elapsed:0.000} s", attempt.Number, time.GetElapsedTime(started).TotalSeconds);
            return (AttemptState.Succeeded, null);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await progress.FlushAsync();
            if (shutdown.IsCancellationRequested)
            {
                log.LogWarning("Attempt {Attempt} interrupted: node {Node} is shutting down", attempt.Number, node.Id);
                return (AttemptState.Interrupted, $"Interrupted: node {node.Id} shut down while running it.");
            }

            if (await WasCancelledAsync(task.Id))
            {
                log.LogWarning("Attempt {Attempt} stopped: the run was cancelled", attempt.Number);
                return (AttemptState.Cancelled, "The run was cancelled.");
            }

            if (await WasHandedBackAsync(attempt.Id))
            {
                // Another node presumed this one lost and runs the task again; this outcome is not recorded.
                log.LogWarning("Attempt {Attempt} stopped: another node handed it back while {Node} was silent", attempt.Number, node.Id);
                return (AttemptState.Interrupted, $"Stopped on {node.Id}: another node handed the attempt back.");
            }

            var limit = Readable(definition.Timeout!.Value);
            log.LogError("Attempt {Attempt} timed out after {Timeout}", attempt.Number, limit);
            return (AttemptState.TimedOut, $"Timed out after {limit}.");
        }
        catch (Exception ex)
        {
            await progress.FlushAsync();
            log.LogError(ex, "Attempt {Attempt} failed", attempt.Number);
            return (AttemptState.Failed, ex is TaskFailure ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<(PipelineRun Run, TaskRun Task, TaskAttempt Attempt)?> StartAsync(Guid attemptId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var found = await db.TaskAttempts.AsNoTracking().Where(a => a.Id == attemptId)
            .Join(db.TaskRuns.AsNoTracking(), a => a.TaskRunId, t => t.Id, (a, t) => new { Attempt = a, Task = t })
            .Join(db.PipelineRuns.AsNoTracking(), x => x.Task.RunId, r => r.Id, (x, r) => new { x.Attempt, x.Task, Run = r })
            .FirstOrDefaultAsync(ct);
        if (found is null || found.Attempt.State.IsFinished())
        {
            return null; // a stale job: the attempt was settled already
        }

        var (attempt, task, run) = (found.Attempt, found.Task, found.Run);
        if (attempt.State == AttemptState.Running)
        {
            // It was running when its node died: record that, and let the retry policy decide.
            _logger.LogWarning("Attempt {AttemptId} was interrupted on {Node}; recovering on {ThisNode}", attemptId, attempt.Node, node.Id);
            logSink.Write(attempt.RunId, attemptId, task.Name, LogLevel.Warning, $"Interrupted: node {attempt.Node} stopped while running this attempt.");
            await engine.CompleteAttemptAsync(attemptId, AttemptState.Interrupted, $"Interrupted: node {attempt.Node} stopped while running it.", ct);
            return null;
        }

        if (task.State != TaskState.Dispatched || task.CurrentAttemptId != attemptId)
        {
            await engine.CompleteAttemptAsync(attemptId, AttemptState.Cancelled, $"Task was {task.State} before the attempt started.", ct);
            return null;
        }

        var now = Clock.UtcNow(time);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var started = await db.TaskRuns.Where(t => t.Id == task.Id && t.State == TaskState.Dispatched && t.CurrentAttemptId == attemptId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TaskState.Running).SetProperty(t => t.Node, node.Id)
                .SetProperty(t => t.StartedAt, t => t.StartedAt ?? now).SetProperty(t => t.Version, Guid.NewGuid()), ct);
        if (started == 0)
        {
            await tx.RollbackAsync(ct);
            return null;
        }

        await db.TaskAttempts.Where(a => a.Id == attemptId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AttemptState.Running).SetProperty(a => a.Node, node.Id).SetProperty(a => a.StartedAt, now), ct);
        var runStarted = run.State == RunState.Queued && await db.PipelineRuns.Where(r => r.Id == task.RunId && r.State == RunState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RunState.Running).SetProperty(r => r.StartedAt, now).SetProperty(r => r.Version, Guid.NewGuid()), ct) > 0;
        await tx.CommitAsync(ct);

        events.Publish(new RunEvent(run.Id, RunEvent.TaskChanged, task.Name, TaskState.Running, 0));
        if (runStarted)
        {
            run.State = RunState.Running;
            events.Publish(new RunEvent(run.Id, RunEvent.RunChanged, RunState: RunState.Running));
        }

        return (run, task, attempt);
    }

    /// <summary>"300 ms", "45 s", "30 min", "2 h 30 min": what a person reads in a run's error.</summary>
    internal static string Readable(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => FormattableString.Invariant($"{span.TotalMilliseconds:0.###} ms"),
        { TotalMinutes: < 1 } => FormattableString.Invariant($"{span.TotalSeconds:0.###} s"),
        { TotalHours: < 1 } => FormattableString.Invariant($"{span.TotalMinutes:0.##} min"),
        _ => FormattableString.Invariant($"{(int)span.TotalHours} h{(span.Minutes == 0 ? "" : $" {span.Minutes} min")}"),
    };

    private async Task<bool> WasHandedBackAsync(Guid attemptId)
    {
        await using var db = await dbs.CreateDbContextAsync();
        return await db.TaskAttempts.AnyAsync(a => a.Id == attemptId && a.State != AttemptState.Running && a.State != AttemptState.Dispatched);
    }

    private async Task<bool> WasCancelledAsync(Guid taskRunId)
    {
        await using var db = await dbs.CreateDbContextAsync();
        return await db.TaskRuns.AnyAsync(t => t.Id == taskRunId && t.State == TaskState.Cancelled);
    }
}
