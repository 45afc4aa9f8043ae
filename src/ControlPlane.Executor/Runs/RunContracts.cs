using ControlPlane.Core.Pipelines;

namespace ControlPlane.Executor.Runs;

public sealed record RunSummary(
    Guid Id, string Pipeline, string? Tenant, string? UseCase, RunState State, string Trigger, string TriggeredBy,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, int TaskCount, int TasksFinished,
    Guid? ParentRunId, int ChildCount, int ChildrenSucceeded, int ChildrenFailed, string? Error, string? Warning = null)
{
    public TimeSpan? Duration => StartedAt is { } s ? (FinishedAt ?? DateTime.UtcNow) - s : null;
}

public sealed record AttemptSummary(Guid Id, int Number, AttemptState State, string Node, DateTime DispatchedAt, DateTime? StartedAt, DateTime? FinishedAt, string? Error);

public sealed record TaskSummary(
    string Name, IReadOnlyList<string> Upstream, int Order, TaskState State, string Pool, int Attempts, int MaxAttempts,
    double Progress, string? ProgressMessage, DateTime? StartedAt, DateTime? FinishedAt, DateTime? NotBefore, string? Node, string? Error,
    IReadOnlyList<AttemptSummary> AttemptHistory);

public sealed record RunDetails(RunSummary Run, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<TaskSummary> Tasks, IReadOnlyList<RunSummary> Children);

public sealed record LogLine(long Id, DateTime At, string Level, string Message);

public sealed record RunQuery
{
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
/// <param name="Parameters">What its runs take (the internal ones left out); empty also for pipelines that declare nothing.</param>
public sealed record PipelineInfo(string Name, string Description, bool FanOut, IReadOnlyList<string> Tasks, bool ForWholeUseCase, bool AdminOnly,
    IReadOnlyList<Definitions.PipelineParameter>? Parameters = null);
