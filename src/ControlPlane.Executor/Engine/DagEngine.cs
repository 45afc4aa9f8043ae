using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// The DAG state machine, in our own tables. Every change to a run's tasks goes through <see cref="MutateAsync"/>,
/// which bumps the run's version: two nodes finishing two upstream tasks of one fan-in at the same moment cannot both
/// miss that the downstream task is ready — the second one retries on fresh state.
/// </summary>
public sealed class DagEngine(
    IDbContextFactory<ControlPlaneDbContext> dbs, PipelineCatalog catalog, RunEvents events, TimeProvider time, ILogger<DagEngine> logger)
{
    /// <summary>Interruptions in a row after which a task fails: past that, it is likely the task that brings its node down.</summary>
    public const int MaxInterruptions = 3;

    /// <summary>Raised when tasks became ready to dispatch.</summary>
    public event Action? WorkReady;

    public async Task<PipelineRun> CreateRunAsync(RunRequest request, CancellationToken ct = default)
    {
        var run = BuildRun(catalog.Get(request.Pipeline), request, Clock.UtcNow(time));
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.PipelineRuns.Add(run);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Run {RunId} of {Pipeline} created for {TenantSlug}/{UseCase} by {Actor}",
            run.Id, run.Pipeline, run.TenantSlug, run.UseCase, run.TriggeredBy);
        events.Publish(new RunEvent(run.Id, RunEvent.RunChanged, RunState: run.State));
        WorkReady?.Invoke();
        return run;
    }

    /// <summary>A parent run with one child run per tenant enrolled in the use case, all created in one transaction.</summary>
    public async Task<PipelineRun> CreateFanOutAsync(RunRequest request, CancellationToken ct = default)
    {
        var definition = catalog.Get(request.Pipeline);
        var childPipeline = catalog.Get(definition.FanOut!.ChildPipeline);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var tenants = await EnrolledTenantsAsync(db, request.UseCase, ct);
        var now = Clock.UtcNow(time);
        var parent = BuildRun(definition, request, now);
        parent.ChildCount = tenants.Count;
        parent.State = tenants.Count == 0 ? RunState.Succeeded : RunState.Running;
        parent.StartedAt = now;
        parent.FinishedAt = tenants.Count == 0 ? now : null;
        db.PipelineRuns.Add(parent);
        foreach (var tenant in tenants)
        {
            db.PipelineRuns.Add(BuildRun(childPipeline, request with
            {
                Pipeline = childPipeline.Name, TenantSlug = tenant, Trigger = "fan-out", ParentRunId = parent.Id,
            }, now));
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("Fan-out run {RunId} of {Pipeline} started {Children} child runs of {Child}",
            parent.Id, parent.Pipeline, tenants.Count, childPipeline.Name);
        events.Publish(new RunEvent(parent.Id, RunEvent.RunChanged, RunState: parent.State));
        WorkReady?.Invoke();
        return parent;
    }

    /// <summary>
    /// Fans a running use-case run out from one of its tasks: one child run of <paramref name="childPipeline"/> per tenant
    /// enrolled in the run's use case, created in one transaction. From then on the run finishes like a fan-out parent,
    /// when its children have. A retried task finds the children it made and makes no more. Returns the child count.
    /// </summary>
    public async Task<int> AddChildrenAsync(Guid runId, string childPipeline, string actor, CancellationToken ct = default)
    {
        var definition = catalog.Get(childPipeline);
        var added = 0;
        await MutateAsync(runId, async (db, run, _) =>
        {
            if (run.ChildCount > 0 || run.State.IsFinished())
            {
                added = run.ChildCount;
                return false;
            }

            var tenants = await EnrolledTenantsAsync(db, run.UseCase, ct);
            var now = Clock.UtcNow(time);
            var request = new RunRequest(childPipeline, null, run.UseCase, null, "fan-out", actor, run.Id);
            foreach (var tenant in tenants)
            {
                db.PipelineRuns.Add(BuildRun(definition, request with { TenantSlug = tenant }, now));
            }

            run.ChildCount = added = tenants.Count;
            return tenants.Count > 0;
        }, ct);
        logger.LogInformation("Run {RunId} started {Children} child runs of {Child}", runId, added, childPipeline);
        WorkReady?.Invoke();
        return added;
    }

    private static Task<List<string>> EnrolledTenantsAsync(ControlPlaneDbContext db, string? useCase, CancellationToken ct) =>
        db.Enrollments.Where(e => e.UseCase!.Key == useCase).Select(e => e.Tenant!.Slug).OrderBy(s => s).ToListAsync(ct);

    /// <summary>Puts a finished fan-out parent back to running before some of its children are rerun.</summary>
    public Task ReopenParentAsync(Guid parentId, CancellationToken ct = default) =>
        MutateAsync(parentId, (_, parent, _) =>
        {
            parent.State = RunState.Running;
            parent.FinishedAt = null;
            parent.Error = null;
            return Task.FromResult(true);
        }, ct);

    private static PipelineRun BuildRun(PipelineDefinition definition, RunRequest request, DateTime now)
    {
        var run = new PipelineRun
        {
            Id = Guid.NewGuid(), Pipeline = definition.Name, TenantSlug = request.TenantSlug, UseCase = request.UseCase,
            ParentRunId = request.ParentRunId, State = RunState.Queued, Trigger = request.Trigger, TriggeredBy = request.TriggeredBy,
            CreatedAt = now, DeadlineAt = definition.RunTimeout is { } timeout ? now + timeout : null,
            ParametersJson = JsonSerializer.Serialize(request.Parameters ?? new Dictionary<string, string>()),
            TaskCount = definition.Tasks.Count, Version = Guid.NewGuid(),
        };
        var fairKey = request.TenantSlug ?? "-";
        var order = 0;
        foreach (var task in definition.Tasks)
        {
            var root = task.DependsOn.Count == 0;
            run.Tasks.Add(new TaskRun
            {
                Id = Guid.NewGuid(), RunId = run.Id, Name = task.Name, Upstream = string.Join(',', task.DependsOn), Order = order++,
                State = root ? TaskState.Queued : TaskState.Pending, ReadyAt = root ? now : null, Pool = task.Pool, FairKey = fairKey,
                MaxAttempts = task.Retry.MaxAttempts, PendingUpstream = task.DependsOn.Count, Version = Guid.NewGuid(),
            });
        }

        return run;
    }

    /// <summary>Records how an attempt ended and moves the DAG on: retry, downstream ready, upstream-failed, run finished.</summary>
    public async Task CompleteAttemptAsync(Guid attemptId, AttemptState outcome, string? error, CancellationToken ct = default)
    {
        if (outcome == AttemptState.Succeeded && await SucceedFastAsync(attemptId, ct))
        {
            return;
        }

        var readied = false;
        await MutateAsync(await RunOfAttemptAsync(attemptId, ct), async (db, run, tasks) =>
        {
            var attempt = db.TaskAttempts.Local.FirstOrDefault(a => a.Id == attemptId);
            var task = tasks.FirstOrDefault(t => t.CurrentAttemptId == attemptId);
            if (attempt is null || attempt.State.IsFinished() || task is null)
            {
                return false; // already settled by someone else (a cancel, a recovery)
            }

            var now = Clock.UtcNow(time);
            attempt.State = outcome;
            attempt.FinishedAt = now;
            attempt.Error = Trim(error);
            if (task.State.IsFinished())
            {
                return true; // the task was cancelled meanwhile; the attempt's outcome is kept for history
            }

            var idempotent = catalog.Find(run.Pipeline)?.Find(task.Name)?.Idempotent ?? true;
            var interruptions = outcome != AttemptState.Interrupted ? 0
                : 1 + await db.TaskAttempts.CountAsync(a => a.TaskRunId == task.Id && a.Id != attemptId && a.State == AttemptState.Interrupted, ct);
            if (outcome == AttemptState.Interrupted && run.State is not RunState.Cancelled && idempotent && interruptions <= MaxInterruptions)
            {
                // A crash or a lost node is not the task's fault: it runs again at once, on any node, and keeps its
                // ordinary retries (the budget grows by the attempt the interruption took).
                task.MaxAttempts++;
                task.State = TaskState.UpForRetry;
                task.NotBefore = now;
                task.ReadyAt = now;
                task.Error = Trim(error);
            }
            else if (outcome == AttemptState.Interrupted && run.State is not RunState.Cancelled)
            {
                task.State = TaskState.Failed;
                task.FinishedAt = now;
                task.Error = Trim(!idempotent
                    ? $"{error} The task is not safe to repeat on its own: check what it did, then start the run again."
                    : $"{error} Interrupted {interruptions} times: the task itself may be bringing its node down.");
                MarkDownstream(tasks, task.Name, TaskState.UpstreamFailed, now);
            }
            else if (outcome == AttemptState.Succeeded)
            {
                task.State = TaskState.Succeeded;
                task.Progress = 100;
                task.FinishedAt = now;
                task.Error = null;
            }
            else if (task.Attempts < task.MaxAttempts && run.State is not RunState.Cancelled && outcome is not AttemptState.Cancelled)
            {
                var policy = catalog.Find(run.Pipeline)?.Find(task.Name)?.Retry ?? RetryPolicy.None;
                task.State = TaskState.UpForRetry;
                var triesLeft = task.MaxAttempts - task.Attempts; // counted from the last clear, if any
                task.NotBefore = now + policy.DelayBefore(policy.MaxAttempts - triesLeft + 1);
                task.ReadyAt = now;
                task.Error = Trim(error);
            }
            else
            {
                task.State = outcome == AttemptState.Cancelled ? TaskState.Cancelled : TaskState.Failed;
                task.FinishedAt = now;
                task.Error = Trim(error);
                MarkDownstream(tasks, task.Name, TaskState.UpstreamFailed, now);
            }

            readied = PromoteReady(tasks, now) || task.State == TaskState.UpForRetry;
            FinishIfDone(run, tasks, now);
            return true;
        }, ct);

        if (readied)
        {
            WorkReady?.Invoke();
        }
    }

    /// <summary>
    /// The common case without loading the run: the attempt and task succeed, each downstream task's count of pending
    /// upstream tasks drops by one in SQL, and those reaching zero become queued — a fan-in of a thousand tasks costs a
    /// few statements per completion, not a reload of the DAG. Returns false when the slow path must decide.
    /// </summary>
    private async Task<bool> SucceedFastAsync(Guid attemptId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var facts = await db.TaskAttempts.Where(a => a.Id == attemptId)
            .Join(db.TaskRuns, a => a.TaskRunId, t => t.Id, (a, t) => new { a.RunId, TaskId = t.Id, t.Name, t.State, t.CurrentAttemptId })
            .Join(db.PipelineRuns, x => x.RunId, r => r.Id, (x, r) => new { x.RunId, x.TaskId, x.Name, x.State, x.CurrentAttemptId, r.Pipeline })
            .FirstOrDefaultAsync(ct);
        var definition = facts is null ? null : catalog.Find(facts.Pipeline);
        if (facts is null || definition is null || facts.State != TaskState.Running || facts.CurrentAttemptId != attemptId)
        {
            return false;
        }

        var now = Clock.UtcNow(time);
        var downstream = definition.Tasks.Where(t => t.DependsOn.Contains(facts.Name)).Select(t => t.Name).ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var attempt = await db.TaskAttempts.Where(a => a.Id == attemptId && (a.State == AttemptState.Running || a.State == AttemptState.Dispatched))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.State, AttemptState.Succeeded).SetProperty(a => a.FinishedAt, now), ct);
        var task = attempt == 0 ? 0 : await db.TaskRuns
            .Where(t => t.Id == facts.TaskId && t.State == TaskState.Running && t.CurrentAttemptId == attemptId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TaskState.Succeeded).SetProperty(t => t.Progress, 100)
                .SetProperty(t => t.FinishedAt, now).SetProperty(t => t.Error, (string?)null).SetProperty(t => t.Version, Guid.NewGuid()), ct);
        if (task == 0)
        {
            await tx.RollbackAsync(ct);
            return false;
        }

        var readied = new List<string>();
        if (downstream.Count > 0)
        {
            await db.TaskRuns.Where(t => t.RunId == facts.RunId && downstream.Contains(t.Name) && t.State == TaskState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.PendingUpstream, t => t.PendingUpstream - 1).SetProperty(t => t.Version, Guid.NewGuid()), ct);
            readied = await db.TaskRuns.Where(t => t.RunId == facts.RunId && downstream.Contains(t.Name) && t.State == TaskState.Pending && t.PendingUpstream <= 0)
                .Select(t => t.Name).ToListAsync(ct);
            if (readied.Count > 0)
            {
                await db.TaskRuns.Where(t => t.RunId == facts.RunId && readied.Contains(t.Name) && t.State == TaskState.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TaskState.Queued).SetProperty(t => t.ReadyAt, now)
                        .SetProperty(t => t.NotBefore, (DateTime?)null).SetProperty(t => t.Version, Guid.NewGuid()), ct);
            }
        }

        await db.PipelineRuns.Where(r => r.Id == facts.RunId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.TasksFinished, r => r.TasksFinished + 1).SetProperty(r => r.Version, Guid.NewGuid()), ct);
        var counts = await db.PipelineRuns.Where(r => r.Id == facts.RunId).Select(r => new { r.TasksFinished, r.TaskCount }).FirstAsync(ct);
        await tx.CommitAsync(ct);

        events.Publish(new RunEvent(facts.RunId, RunEvent.TaskChanged, facts.Name, TaskState.Succeeded, 100));
        foreach (var name in readied)
        {
            events.Publish(new RunEvent(facts.RunId, RunEvent.TaskChanged, name, TaskState.Queued, 0));
        }

        if (readied.Count > 0)
        {
            WorkReady?.Invoke();
        }

        if (counts.TasksFinished >= counts.TaskCount)
        {
            await SettleAsync(facts.RunId, ct);
        }

        return true;
    }

    /// <summary>Cancels a run: waiting tasks end now, running attempts are told to stop.</summary>
    public async Task<Result<RunState>> CancelRunAsync(Guid runId, string actor, CancellationToken ct = default)
    {
        var result = Result<RunState>.NotFound($"Run {runId} does not exist.");
        await MutateAsync(runId, (_, run, tasks) =>
        {
            if (run.State.IsFinished())
            {
                result = Result<RunState>.Conflict("runId", $"Run {runId} already finished ({run.State}); there is nothing to cancel.");
                return Task.FromResult(false);
            }

            var now = Clock.UtcNow(time);
            foreach (var task in tasks.Where(t => !t.State.IsFinished()))
            {
                task.State = TaskState.Cancelled;
                task.FinishedAt = now;
                task.Error = $"Cancelled by {actor}.";
            }

            run.State = RunState.Cancelled;
            run.FinishedAt = now;
            run.Error = $"Cancelled by {actor}.";
            run.TasksFinished = tasks.Count;
            result = Result<RunState>.Ok(run.State);
            return Task.FromResult(true);
        }, ct);

        if (result.IsOk)
        {
            logger.LogInformation("Run {RunId} cancelled by {Actor}", runId, actor);
            await CancelChildrenAsync(runId, actor, ct);
        }

        return result;
    }

    /// <summary>Airflow's "clear": reruns a finished task and everything downstream of it, in a run that may have finished.</summary>
    public async Task<Result<RunState>> ClearTaskAsync(Guid runId, string taskName, string actor, CancellationToken ct = default)
    {
        var result = Result<RunState>.NotFound($"Run {runId} does not exist.");
        await MutateAsync(runId, (_, run, tasks) =>
        {
            var task = tasks.FirstOrDefault(t => t.Name == taskName);
            if (task is null)
            {
                result = Result<RunState>.NotFound($"Run {runId} has no task '{taskName}'.");
                return Task.FromResult(false);
            }

            if (!task.State.IsFinished())
            {
                result = Result<RunState>.Conflict("task", $"Task '{taskName}' is {task.State}; only a finished task can be cleared.");
                return Task.FromResult(false);
            }

            var now = Clock.UtcNow(time);
            var definition = catalog.Find(run.Pipeline);
            var cleared = Downstream(tasks, taskName).Append(taskName).ToHashSet(StringComparer.Ordinal);
            foreach (var t in tasks.Where(t => cleared.Contains(t.Name)))
            {
                // Attempt numbers go on after the task's earlier attempts (they are unique per task), and the task
                // gets its full number of tries again, as Airflow's clear does.
                t.State = TaskState.Pending;
                t.MaxAttempts = t.Attempts + (definition?.Find(t.Name)?.Retry.MaxAttempts ?? 1);
                t.Progress = 0;
                t.ProgressMessage = null;
                t.Error = null;
                t.StartedAt = null;
                t.FinishedAt = null;
                t.NotBefore = null;
                t.CurrentAttemptId = null;
            }

            run.State = run.StartedAt is null ? RunState.Queued : RunState.Running;
            run.FinishedAt = null;
            run.Error = null;
            PromoteReady(tasks, now);
            run.TasksFinished = tasks.Count(t => t.State.IsFinished());
            result = Result<RunState>.Ok(run.State);
            return Task.FromResult(true);
        }, ct);

        if (result.IsOk)
        {
            logger.LogInformation("Task {Task} of run {RunId} and its downstream cleared by {Actor}", taskName, runId, actor);
            WorkReady?.Invoke();
        }

        return result;
    }

    /// <summary>Fails a run whose own time limit has passed; running attempts are told to stop.</summary>
    public Task FailRunAsync(Guid runId, string reason, CancellationToken ct = default) =>
        MutateAsync(runId, (_, run, tasks) =>
        {
            if (run.State.IsFinished())
            {
                return Task.FromResult(false);
            }

            var now = Clock.UtcNow(time);
            foreach (var task in tasks.Where(t => !t.State.IsFinished()))
            {
                task.State = TaskState.Cancelled;
                task.FinishedAt = now;
                task.Error = reason;
            }

            run.State = RunState.Failed;
            run.FinishedAt = now;
            run.Error = reason;
            run.TasksFinished = tasks.Count;
            return Task.FromResult(true);
        }, ct);

    /// <summary>Finishes a run whose tasks all finished but whose own state did not follow (a crash between the two).</summary>
    public Task SettleAsync(Guid runId, CancellationToken ct = default) =>
        MutateAsync(runId, (_, run, tasks) =>
        {
            if (run.State.IsFinished())
            {
                return Task.FromResult(false);
            }

            var now = Clock.UtcNow(time);
            var promoted = PromoteReady(tasks, now);
            FinishIfDone(run, tasks, now);
            if (promoted)
            {
                WorkReady?.Invoke();
            }

            return Task.FromResult(promoted || run.State.IsFinished());
        }, ct);

    /// <summary>
    /// Loads a run with its tasks (and their current attempts), applies a change, and saves it under the run's version;
    /// on a concurrent change it reloads and applies the change again.
    /// </summary>
    internal async Task MutateAsync(Guid runId, Func<ControlPlaneDbContext, PipelineRun, List<TaskRun>, Task<bool>> mutate, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var run = await db.PipelineRuns.FirstOrDefaultAsync(r => r.Id == runId, ct);
            if (run is null)
            {
                return; // callers start from a "not found" result
            }

            var tasks = await db.TaskRuns.Where(t => t.RunId == runId).OrderBy(t => t.Order).ToListAsync(ct);
            var attemptIds = tasks.Where(t => t.CurrentAttemptId != null).Select(t => t.CurrentAttemptId!.Value).ToList();
            await db.TaskAttempts.Where(a => attemptIds.Contains(a.Id)).LoadAsync(ct);
            var before = tasks.ToDictionary(t => t.Id, t => (t.State, t.Progress));
            var runBefore = run.State;
            if (!await mutate(db, run, tasks))
            {
                return;
            }

            run.Version = Guid.NewGuid();
            var succeeded = tasks.Where(t => t.State == TaskState.Succeeded).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var task in tasks.Where(t => t.State == TaskState.Pending))
            {
                task.PendingUpstream = task.UpstreamNames.Count(n => !succeeded.Contains(n));
            }

            foreach (var task in tasks.Where(t => db.Entry(t).State == EntityState.Modified))
            {
                task.Version = Guid.NewGuid();
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 20)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
                continue;
            }

            foreach (var task in tasks.Where(t => before[t.Id].State != t.State))
            {
                events.Publish(new RunEvent(runId, RunEvent.TaskChanged, task.Name, task.State, task.Progress, task.Error));
            }

            if (run.State != runBefore || run.State.IsFinished())
            {
                events.Publish(new RunEvent(runId, RunEvent.RunChanged, RunState: run.State, Message: run.Error));
            }

            if (run.State.IsFinished() && runBefore != run.State && run.ParentRunId is { } parent)
            {
                await OnChildFinishedAsync(parent, run.State, ct);
            }

            return;
        }
    }

    private async Task OnChildFinishedAsync(Guid parentId, RunState childState, CancellationToken ct) =>
        await MutateAsync(parentId, async (db, parent, _) =>
        {
            if (parent.State.IsFinished())
            {
                return false;
            }

            var children = await db.PipelineRuns.Where(r => r.ParentRunId == parentId)
                .GroupBy(r => r.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(ct);
            parent.ChildrenSucceeded = children.Where(c => c.State == RunState.Succeeded).Sum(c => c.Count);
            parent.ChildrenFailed = children.Where(c => c.State is RunState.Failed or RunState.Cancelled).Sum(c => c.Count);
            if (parent.ChildrenSucceeded + parent.ChildrenFailed >= parent.ChildCount)
            {
                parent.State = parent.ChildrenFailed == 0 ? RunState.Succeeded : RunState.Failed;
                parent.Error = parent.ChildrenFailed == 0 ? null : $"{parent.ChildrenFailed} of {parent.ChildCount} child runs failed.";
                parent.FinishedAt = Clock.UtcNow(time);
            }

            return true;
        }, ct);

    private async Task CancelChildrenAsync(Guid parentId, string actor, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var children = await db.PipelineRuns.Where(r => r.ParentRunId == parentId && r.State != RunState.Succeeded
            && r.State != RunState.Failed && r.State != RunState.Cancelled).Select(r => r.Id).ToListAsync(ct);
        foreach (var child in children)
        {
            await CancelRunAsync(child, actor, ct);
        }
    }

    private async Task<Guid> RunOfAttemptAsync(Guid attemptId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.TaskAttempts.Where(a => a.Id == attemptId).Select(a => a.RunId).FirstOrDefaultAsync(ct);
    }

    /// <summary>Pending tasks whose upstream all succeeded become queued. Returns whether any did.</summary>
    private static bool PromoteReady(List<TaskRun> tasks, DateTime now)
    {
        var succeeded = tasks.Where(t => t.State == TaskState.Succeeded).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var any = false;
        foreach (var task in tasks.Where(t => t.State == TaskState.Pending && t.UpstreamNames.All(succeeded.Contains)))
        {
            task.State = TaskState.Queued;
            task.ReadyAt = now;
            task.NotBefore = null;
            any = true;
        }

        return any;
    }

    private static void MarkDownstream(List<TaskRun> tasks, string failed, TaskState state, DateTime now)
    {
        var downstream = Downstream(tasks, failed).ToHashSet(StringComparer.Ordinal);
        foreach (var t in tasks.Where(t => downstream.Contains(t.Name) && !t.State.IsFinished()))
        {
            t.State = state;
            t.FinishedAt = now;
            t.Error = $"Upstream task '{failed}' failed.";
        }
    }

    private static IEnumerable<string> Downstream(List<TaskRun> tasks, string name)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var frontier = new Queue<string>([name]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var t in tasks.Where(t => t.UpstreamNames.Contains(current) && result.Add(t.Name)))
            {
                frontier.Enqueue(t.Name);
            }
        }

        return result;
    }

    private static void FinishIfDone(PipelineRun run, List<TaskRun> tasks, DateTime now)
    {
        run.TasksFinished = tasks.Count(t => t.State.IsFinished());
        if (run.TasksFinished < tasks.Count || run.State.IsFinished() || run.ChildCount > 0)
        {
            return;
        }

        var failed = tasks.FirstOrDefault(t => t.State == TaskState.Failed);
        run.State = tasks.All(t => t.State == TaskState.Succeeded) ? RunState.Succeeded
            : tasks.Any(t => t.State == TaskState.Failed || t.State == TaskState.UpstreamFailed) ? RunState.Failed
            : RunState.Cancelled;
        run.Error = failed is null ? null : $"Task '{failed.Name}' failed: {failed.Error}";
        run.FinishedAt = now;
        run.StartedAt ??= now;
    }

    /// <summary>A task's error as shown on the run pages: server paths cut to file names, at most 3,900 characters.</summary>
    private static string? Trim(string? text)
    {
        var shown = text is null ? null : Core.Common.ServerPaths.Scrub(text);
        return shown is { Length: > 3900 } ? shown[..3900] + "…" : shown;
    }
}
