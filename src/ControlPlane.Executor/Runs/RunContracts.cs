using ControlPlane.Core.Pipelines;

namespace ControlPlane.Executor.Runs;

public sealed record RunSummary(
    Guid Id, string Pipeline, string? Tenant, string? UseCase, RunState State, string Trigger, string TriggeredBy,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, int TaskCount, int TasksFinished,
    Guid? ParentRunId, int ChildCount, int ChildrenSucceeded, int ChildrenFailed, string? Error, string? Warning = null)
{
    /// <summary>How its tasks ended: succeeded, failed, not run (upstream failed or cancelled), and still to come; set by the run queries.</summary>
    public TaskTally? Tally { get; init; }

    public TimeSpan? Duration => StartedAt is { } s ? (FinishedAt ?? DateTime.UtcNow) - s : null;
}

public sealed record AttemptSummary(Guid Id, int Number, AttemptState State, string Node, DateTime DispatchedAt, DateTime? StartedAt, DateTime? FinishedAt, string? Error);

public sealed record TaskSummary(
    string Name, IReadOnlyList<string> Upstream, int Order, TaskState State, string Pool, int Attempts, int MaxAttempts,
    double Progress, string? ProgressMessage, DateTime? StartedAt, DateTime? FinishedAt, DateTime? NotBefore, string? Node, string? Error,
    IReadOnlyList<AttemptSummary> AttemptHistory);

public sealed record RunDetails(RunSummary Run, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<TaskSummary> Tasks, IReadOnlyList<RunSummary> Children)
{
    /// <summary>Model versions the run registered, with the dataset and rules versions they were trained on.</summary>
    public IReadOnlyList<ProducedVersion> Produced { get; init; } = [];
}

/// <summary>A model version a run registered: "own" or "pooled", its number, and what it read.</summary>
public sealed record ProducedVersion(string Kind, int Number, int? DatasetVersion, int? RulesVersion);

public sealed record LogLine(long Id, DateTime At, string Level, string Message);

/// <summary>A run's tasks by how they ended: what ran, what failed, what never ran, what is still open.</summary>
public sealed record TaskTally(int Succeeded, int Failed, int NotRun, int Open)
{
    public int Total => Succeeded + Failed + NotRun + Open;

    /// <summary>"5 of 7 tasks", or for a run that stopped: "2 ran · 1 failed · 4 not run".</summary>
    public string Text(RunState state) => state is RunState.Failed or RunState.Cancelled
        ? string.Join(" · ", new[] { $"{Succeeded} ran", Failed > 0 ? $"{Failed} failed" : null, NotRun + Open > 0 ? $"{NotRun + Open} not run" : null }.OfType<string>())
        : $"{Succeeded + Failed + NotRun} of {Total} tasks";
}

/// <summary>How the run history is ordered.</summary>
public enum RunSort
{
    Created,
    Pipeline,
    State,
    Tenant,
}

public sealed record RunQuery
{
    public RunSort Sort { get; init; } = RunSort.Created;

    /// <summary>Newest or Z first; false: the other way.</summary>
    public bool Descending { get; init; } = true;

    public string? Tenant { get; init; }
    public string? UseCase { get; init; }
    public string? Pipeline { get; init; }
    public RunState? State { get; init; }
    /// <summary>Runs created in this range (see <see cref="Core.Common.TimeRange"/>: both ends included).</summary>
    public Core.Common.TimeRange Created { get; init; }
    public Guid? ParentRunId { get; init; }

    /// <summary>Only runs of these tenants (a scoped caller's); runs of no tenant are left out. Null: no limit.</summary>
    public IReadOnlyList<string>? OnlyTenants { get; init; }

    /// <summary>Top-level runs only (fan-out children are listed under their parent).</summary>
    public bool TopLevelOnly { get; init; }

    public int Page { get; init; }
    public int PageSize { get; init; } = 50;

    public const int MaxPageSize = 500;
}

public sealed class StartRunRequest
{
    public string? Pipeline { get; set; }
    public string? Tenant { get; set; }
    public string? UseCase { get; set; }
    public Dictionary<string, string>? Parameters { get; set; }
}

/// <summary>The latest runs of a pipeline (oldest first) × its tasks (DAG order).</summary>
public sealed record RunGrid(string Pipeline, IReadOnlyList<string> Tasks, IReadOnlyList<RunGridColumn> Runs)
{
    public const int MaxRuns = 100;
}

public sealed record RunGridColumn(RunSummary Run, IReadOnlyDictionary<string, TaskCell> Tasks);

public sealed record TaskCell(TaskState State, double Progress);

/// <param name="ForWholeUseCase">Started with a use case and no tenant (fan-outs and use-case pipelines such as retrain-all).</param>
/// <param name="AdminOnly">Only admins may start it by hand (system maintenance such as housekeeping).</param>
/// <param name="Parameters">What its runs take (the internal ones left out); null for pipelines that declare nothing (they take free pairs).</param>
public sealed record PipelineInfo(string Name, string Description, bool FanOut, IReadOnlyList<string> Tasks, bool ForWholeUseCase, bool AdminOnly,
    IReadOnlyList<Definitions.PipelineParameter>? Parameters = null);
