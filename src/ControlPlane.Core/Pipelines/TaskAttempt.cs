namespace ControlPlane.Core.Pipelines;

/// <summary>One try of a task, on one node.</summary>
public sealed class TaskAttempt
{
    public Guid Id { get; set; }
    public Guid TaskRunId { get; set; }
    public Guid RunId { get; set; }
    public int Number { get; set; }
    public AttemptState State { get; set; }
    public string Node { get; set; } = "";
    public DateTime DispatchedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }
}

/// <summary>A line an attempt wrote to its log.</summary>
public sealed class AttemptLogLine
{
    public long Id { get; set; }
    public Guid AttemptId { get; set; }
    public Guid RunId { get; set; }
    public DateTime At { get; set; }
    public string Level { get; set; } = "Information";
    public string Message { get; set; } = "";
}

/// <summary>
/// An executor node's heartbeat: the node bumps <see cref="Beats"/> every second. Other nodes judge liveness by whether
/// the count moves on their own clock, so clocks that disagree between machines do not matter.
/// </summary>
public sealed class ExecutorNodeBeat
{
    public string NodeId { get; set; } = "";
    public long Beats { get; set; }
    public DateTime BeatAt { get; set; }
    public DateTime StartedAt { get; set; }
}
