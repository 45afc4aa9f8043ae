using ControlPlane.Core.Tenants;
using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Definitions;
using ControlPlane.Executor.Engine;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Executor.Runs;

/// <summary>Starting, cancelling, clearing and finding runs: what the UI and the REST API call.</summary>
public sealed class RunService(IDbContextFactory<ControlPlaneDbContext> dbs, PipelineCatalog catalog, DagEngine engine, TimeProvider time)
{
    public IReadOnlyList<PipelineInfo> Pipelines() =>
        catalog.All.OrderBy(p => p.Name)
            .Select(p => new PipelineInfo(p.Name, p.Description, p.FanOut is not null, p.Tasks.Select(t => t.Name).ToList(), p.ForWholeUseCase, p.AdminOnly,
                p.DeclaresParameters ? p.Parameters.Where(x => !x.Internal).ToList() : null))
            .ToList();

    /// <summary>
    /// Starts a run for a person or an API token: as <see cref="StartAsync"/>, but an <see cref="PipelineDefinition.AdminOnly"/>
    /// pipeline is refused unless <paramref name="isAdmin"/>.
    /// </summary>
    public async Task<Result<RunSummary>> StartForCallerAsync(
        StartRunRequest request, string trigger, string actor, bool isAdmin, CancellationToken ct = default)
    {
        if (!isAdmin && request.Pipeline is { } name && catalog.Find(name) is { AdminOnly: true })
        {
            return Result<RunSummary>.Forbidden($"Only admins start pipeline '{name}' by hand.");
        }

        return await StartAsync(request, trigger, actor, ct);
    }

    public async Task<Result<RunSummary>> StartAsync(StartRunRequest request, string trigger, string actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var definition = string.IsNullOrWhiteSpace(request.Pipeline) ? null : catalog.Find(request.Pipeline);
        if (definition is null)
        {
            errors.Add(nameof(request.Pipeline), string.IsNullOrWhiteSpace(request.Pipeline)
                ? "Pipeline is required."
                : $"Pipeline '{request.Pipeline}' is not defined (known: {string.Join(", ", catalog.All.Select(p => p.Name).Order())}).");
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        if (definition?.ForWholeUseCase == true)
        {
            if (string.IsNullOrWhiteSpace(request.UseCase) || !await db.UseCases.AnyAsync(u => u.Key == request.UseCase, ct))
            {
                errors.Add(nameof(request.UseCase), definition.FanOut is not null
                    ? $"Fan-out pipeline '{definition.Name}' needs an existing use case to fan out over."
                    : $"Pipeline '{definition.Name}' runs for every tenant of a use case: it needs an existing use case.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(request.Tenant) || !string.IsNullOrWhiteSpace(request.UseCase))
        {
            var enrolled = await db.Enrollments.AnyAsync(e => e.Tenant!.Slug == request.Tenant && e.UseCase!.Key == request.UseCase, ct);
            if (!enrolled)
            {
                errors.Add(nameof(request.Tenant), Enrollment.NotEnrolled(request.Tenant, request.UseCase));
            }
        }

        if (definition is not null)
        {
            PipelineParameters.Check(definition, request.Parameters, errors);
        }

        if (errors.Any)
        {
            return Result<RunSummary>.Invalid(errors);
        }

        var tenant = definition!.ForWholeUseCase ? null : request.Tenant;
        var parameters = PipelineParameters.Resolve(definition, request.Parameters, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var run = definition.FanOut is null
            ? await engine.CreateRunAsync(new RunRequest(definition.Name, tenant, request.UseCase, parameters, trigger, actor), ct)
            : await engine.CreateFanOutAsync(new RunRequest(definition.Name, null, request.UseCase, parameters, trigger, actor), ct);
        return Result<RunSummary>.Ok(ToSummary(run));
    }

    public Task<Result<RunState>> CancelAsync(Guid runId, string actor, CancellationToken ct = default) => engine.CancelRunAsync(runId, actor, ct);

    public Task<Result<RunState>> ClearAsync(Guid runId, string task, string actor, CancellationToken ct = default) => engine.ClearTaskAsync(runId, task, actor, ct);

    /// <summary>Reruns only the failed children of a fan-out run, by clearing their failed tasks.</summary>
    public async Task<Result<int>> RerunFailedChildrenAsync(Guid parentId, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var parent = await db.PipelineRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == parentId, ct);
        if (parent is null || parent.ChildCount == 0)
        {
            return Result<int>.NotFound($"Run {parentId} is not a fan-out run.");
        }

        var failedTasks = await db.TaskRuns
            .Where(t => t.Run!.ParentRunId == parentId && (t.Run.State == RunState.Failed || t.Run.State == RunState.Cancelled)
                && (t.State == TaskState.Failed || t.State == TaskState.Cancelled || t.State == TaskState.UpstreamFailed))
            .Select(t => new { t.RunId, t.Name, t.Order }).ToListAsync(ct);
        var children = failedTasks.GroupBy(t => t.RunId).ToList();
        if (children.Count == 0)
        {
            return Result<int>.Conflict("runId", $"Run {parentId} has no failed children to rerun.");
        }

        await engine.ReopenParentAsync(parentId, ct);
        foreach (var child in children)
        {
            // Clearing the earliest failed task also clears everything downstream of it.
            foreach (var task in child.OrderBy(t => t.Order).Take(1))
            {
                await engine.ClearTaskAsync(child.Key, task.Name, actor, ct);
            }
        }

        return Result<int>.Ok(children.Count);
    }

    public async Task<PagedResult<RunSummary>> QueryAsync(RunQuery query, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var runs = db.PipelineRuns.AsNoTracking();
        if (query.OnlyTenants is { } only)
        {
            var allowed = only.ToList();
            runs = runs.Where(r => r.TenantSlug != null && allowed.Contains(r.TenantSlug));
        }

        if (!string.IsNullOrWhiteSpace(query.Tenant))
        {
            runs = runs.Where(r => r.TenantSlug == query.Tenant);
        }

        if (!string.IsNullOrWhiteSpace(query.UseCase))
        {
            runs = runs.Where(r => r.UseCase == query.UseCase);
        }

        if (!string.IsNullOrWhiteSpace(query.Pipeline))
        {
            runs = runs.Where(r => r.Pipeline == query.Pipeline);
        }

        if (query.State is { } state)
        {
            runs = runs.Where(r => r.State == state);
        }

        if (query.Created.From is { } from)
        {
            runs = runs.Where(r => r.CreatedAt >= from);
        }

        if (query.Created.Until is { } until)
        {
            runs = runs.Where(r => r.CreatedAt < until);
        }

        if (query.ParentRunId is { } parent)
        {
            runs = runs.Where(r => r.ParentRunId == parent);
        }
        else if (query.TopLevelOnly)
        {
            runs = runs.Where(r => r.ParentRunId == null);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, RunQuery.MaxPageSize);
        var page = Math.Max(0, query.Page);
        var total = await runs.CountAsync(ct);
        var items = await Sorted(runs, query).Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
        var tallies = await TalliesAsync(db, items.Select(r => r.Id).ToList(), ct);
        return new PagedResult<RunSummary>(items.Select(r => ToSummary(r) with { Tally = tallies.GetValueOrDefault(r.Id) }).ToList(), total, page, pageSize);
    }

    private static IQueryable<PipelineRun> Sorted(IQueryable<PipelineRun> runs, RunQuery q) => (q.Sort, q.Descending) switch
    {
        (RunSort.Pipeline, false) => runs.OrderBy(r => r.Pipeline).ThenByDescending(r => r.CreatedAt),
        (RunSort.Pipeline, true) => runs.OrderByDescending(r => r.Pipeline).ThenByDescending(r => r.CreatedAt),
        (RunSort.State, false) => runs.OrderBy(r => r.State).ThenByDescending(r => r.CreatedAt),
        (RunSort.State, true) => runs.OrderByDescending(r => r.State).ThenByDescending(r => r.CreatedAt),
        (RunSort.Tenant, false) => runs.OrderBy(r => r.TenantSlug).ThenBy(r => r.UseCase).ThenByDescending(r => r.CreatedAt),
        (RunSort.Tenant, true) => runs.OrderByDescending(r => r.TenantSlug).ThenByDescending(r => r.UseCase).ThenByDescending(r => r.CreatedAt),
        (_, false) => runs.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
        _ => runs.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id),
    };

    /// <summary>The page's runs' tasks counted by how they ended, in one grouped query.</summary>
    private static async Task<Dictionary<Guid, TaskTally>> TalliesAsync(ControlPlaneDbContext db, List<Guid> runIds, CancellationToken ct)
    {
        var rows = await db.TaskRuns.AsNoTracking().Where(t => runIds.Contains(t.RunId)).GroupBy(t => new { t.RunId, t.State })
            .Select(g => new { g.Key.RunId, g.Key.State, Count = g.Count() }).ToListAsync(ct);
        return rows.GroupBy(r => r.RunId).ToDictionary(g => g.Key, g => new TaskTally(
            g.Where(r => r.State == TaskState.Succeeded).Sum(r => r.Count),
            g.Where(r => r.State == TaskState.Failed).Sum(r => r.Count),
            g.Where(r => r.State is TaskState.UpstreamFailed or TaskState.Cancelled).Sum(r => r.Count),
            g.Where(r => r.State is not (TaskState.Succeeded or TaskState.Failed or TaskState.UpstreamFailed or TaskState.Cancelled)).Sum(r => r.Count)));
    }

    public async Task<RunDetails?> GetAsync(Guid runId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var run = await db.PipelineRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return null;
        }

        var tasks = await db.TaskRuns.AsNoTracking().Where(t => t.RunId == runId).OrderBy(t => t.Order).ToListAsync(ct);
        var attempts = (await db.TaskAttempts.AsNoTracking().Where(a => a.RunId == runId).ToListAsync(ct))
            .OrderBy(a => a.Number).ToLookup(a => a.TaskRunId);
        var children = run.ChildCount == 0 ? [] : await db.PipelineRuns.AsNoTracking().Where(r => r.ParentRunId == runId)
            .OrderBy(r => r.TenantSlug).ToListAsync(ct);
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(run.ParametersJson) ?? [];
        var produced = await db.ModelVersions.AsNoTracking().Where(v => v.RunId == runId)
            .Select(v => new ProducedVersion(v.Kind, v.Number, v.DatasetVersionNumber, v.RulesVersionNumber)).ToListAsync(ct);
        var tally = new TaskTally(tasks.Count(t => t.State == TaskState.Succeeded), tasks.Count(t => t.State == TaskState.Failed),
            tasks.Count(t => t.State is TaskState.UpstreamFailed or TaskState.Cancelled),
            tasks.Count(t => t.State is not (TaskState.Succeeded or TaskState.Failed or TaskState.UpstreamFailed or TaskState.Cancelled)));
        return new RunDetails(ToSummary(run) with { Tally = tally }, parameters,
            tasks.Select(t => new TaskSummary(t.Name, t.UpstreamNames, t.Order, t.State, t.Pool, t.Attempts, t.MaxAttempts, t.Progress,
                t.ProgressMessage, t.StartedAt, t.FinishedAt, t.NotBefore, t.Node, t.Error,
                attempts[t.Id].Select(a => new AttemptSummary(a.Id, a.Number, a.State, a.Node, a.DispatchedAt, a.StartedAt, a.FinishedAt, a.Error)).ToList())).ToList(),
            children.Select(ToSummary).ToList()) { Produced = produced };
    }

    /// <summary>
    /// The latest runs of one pipeline, oldest first, with every task's state: the runs × tasks grid. Rows are the pipeline's
    /// tasks in DAG order, then any task an older run had that the definition no longer has.
    /// </summary>
    public async Task<RunGrid> GridAsync(string pipeline, int runs = 25, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var latest = await db.PipelineRuns.AsNoTracking().Where(r => r.Pipeline == pipeline)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(Math.Clamp(runs, 1, RunGrid.MaxRuns)).ToListAsync(ct);
        var ids = latest.Select(r => r.Id).ToList();
        var cells = await db.TaskRuns.AsNoTracking().Where(t => ids.Contains(t.RunId))
            .Select(t => new { t.RunId, t.Name, t.Order, t.State, t.Progress }).ToListAsync(ct);
        var tasks = (catalog.Find(pipeline)?.Tasks.Select(t => t.Name) ?? [])
            .Concat(cells.OrderBy(c => c.Order).Select(c => c.Name)).Distinct(StringComparer.Ordinal).ToList();
        var byRun = cells.ToLookup(c => c.RunId);
        var columns = latest.AsEnumerable().Reverse().Select(r => new RunGridColumn(ToSummary(r),
            byRun[r.Id].ToDictionary(c => c.Name, c => new TaskCell(c.State, c.Progress), StringComparer.Ordinal))).ToList();
        return new RunGrid(pipeline, tasks, columns);
    }

    /// <summary>An attempt's log after a given line id (0 for the start), oldest first.</summary>
    public async Task<IReadOnlyList<LogLine>> LogAsync(Guid attemptId, long afterId = 0, int max = 500, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.AttemptLogLines.AsNoTracking().Where(l => l.AttemptId == attemptId && l.Id > afterId)
            .OrderBy(l => l.Id).Take(Math.Clamp(max, 1, 5000))
            .Select(l => new LogLine(l.Id, l.At, l.Level, l.Message)).ToListAsync(ct);
    }

    internal static RunSummary ToSummary(PipelineRun r) => new(
        r.Id, r.Pipeline, r.TenantSlug, r.UseCase, r.State, r.Trigger, r.TriggeredBy, r.CreatedAt, r.StartedAt, r.FinishedAt,
        r.TaskCount, r.TasksFinished, r.ParentRunId, r.ChildCount, r.ChildrenSucceeded, r.ChildrenFailed, r.Error, r.Warning);

    /// <summary>Adds a line to the run's warning (kept whatever state it ends in), clipped to the column's length.</summary>
    public async Task WarnAsync(Guid runId, string warning, CancellationToken ct = default)
    {
        // An update of the one column, outside the run row's optimistic concurrency: the engine updates the same row.
        await using var db = await dbs.CreateDbContextAsync(ct);
        var before = await db.PipelineRuns.Where(r => r.Id == runId).Select(r => r.Warning).FirstOrDefaultAsync(ct);
        var text = Core.Common.TextLimits.Clip(before is null ? warning : $"{before}\n{warning}", MaxWarningLength);
        await db.PipelineRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Warning, text), ct);
    }

    public const int MaxWarningLength = 2000;
}
