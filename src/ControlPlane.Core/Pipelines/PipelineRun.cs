namespace ControlPlane.Core.Pipelines;

/// <summary>One execution of a pipeline, for one enrollment (or none), possibly a child of a fan-out run.</summary>
public sealed class PipelineRun
{
    public Guid Id { get; set; }
    public required string Pipeline { get; set; }
    public string? TenantSlug { get; set; }
    public string? UseCase { get; set; }
    public Guid? ParentRunId { get; set; }
    public RunState State { get; set; }

    /// <summary>manual, api, schedule, fan-out, clear.</summary>
    public string Trigger { get; set; } = "manual";

    public string TriggeredBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>When the run as a whole times out (its own time limit), if it has one.</summary>
    public DateTime? DeadlineAt { get; set; }

    public string? Error { get; set; }

    /// <summary>
    /// What a run that succeeded wants read anyway (a backfill that scored no row, and why): "succeeded with a warning",
    /// never silently green. Set by its tasks through <c>RunService.WarnAsync</c>.
    /// </summary>
    public string? Warning { get; set; }

    public string ParametersJson { get; set; } = "{}";
    public int TaskCount { get; set; }
    public int TasksFinished { get; set; }
    public int ChildCount { get; set; }
    public int ChildrenSucceeded { get; set; }
    public int ChildrenFailed { get; set; }

    /// <summary>Optimistic concurrency: two nodes finishing tasks of one run must not overwrite each other's counters.</summary>
    public Guid Version { get; set; }

    public List<TaskRun> Tasks { get; set; } = [];
}
