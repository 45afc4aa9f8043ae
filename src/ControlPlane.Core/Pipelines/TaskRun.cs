namespace ControlPlane.Core.Pipelines;

/// <summary>One task of one run: its place in the DAG, its state, progress and attempts.</summary>
public sealed class TaskRun
{
    public Guid Id { get; set; }
    public Guid RunId { get; set; }
    public PipelineRun? Run { get; set; }
    public required string Name { get; set; }

    /// <summary>Names of the tasks this one waits for, comma-separated: the run keeps its own DAG.</summary>
    public string Upstream { get; set; } = "";

    /// <summary>Position in a topological order of the DAG, for display.</summary>
    public int Order { get; set; }

    public TaskState State { get; set; }
    public required string Pool { get; set; }

    /// <summary>The share this task's dispatch is fair across: the tenant, or "-" for tasks of no tenant.</summary>
    public required string FairKey { get; set; }

    public int Attempts { get; set; }
    public int MaxAttempts { get; set; } = 1;

    /// <summary>When the task became ready; queued tasks of one share are dispatched oldest first.</summary>
    public DateTime? ReadyAt { get; set; }

    /// <summary>A retry waits for its backoff: not dispatched before this time.</summary>
    public DateTime? NotBefore { get; set; }

    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public double Progress { get; set; }
    public string? ProgressMessage { get; set; }
    public string? Error { get; set; }
    public string? Node { get; set; }
    public Guid? CurrentAttemptId { get; set; }

    /// <summary>Optimistic concurrency: the dispatcher's claim and the engine's transitions must not overwrite each other.</summary>
    public Guid Version { get; set; }

    /// <summary>Upstream tasks that have not succeeded yet; the task is ready when this reaches zero (atomic fan-in).</summary>
    public int PendingUpstream { get; set; }

    public IReadOnlyList<string> UpstreamNames => Upstream.Length == 0 ? [] : Upstream.Split(',');
}
