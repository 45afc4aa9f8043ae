namespace ControlPlane.Core.Pipelines;

public enum RunState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// A task's life: Pending (waiting for upstream) → Queued (ready, waiting for a pool slot) → Dispatched (a Quartz job
/// exists for its attempt) → Running → Succeeded, or UpForRetry → Queued again, or Failed; UpstreamFailed and Cancelled end it too.
/// </summary>
public enum TaskState
{
    Pending,
    Queued,
    Dispatched,
    Running,
    UpForRetry,
    Succeeded,
    Failed,
    UpstreamFailed,
    Cancelled,
}

public enum AttemptState
{
    Dispatched,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Cancelled,
    Interrupted,
}

public static class StateExtensions
{
    public static bool IsFinished(this RunState state) => state is RunState.Succeeded or RunState.Failed or RunState.Cancelled;

    public static bool IsFinished(this TaskState state) =>
        state is TaskState.Succeeded or TaskState.Failed or TaskState.UpstreamFailed or TaskState.Cancelled;

    public static bool IsActive(this TaskState state) => state is TaskState.Dispatched or TaskState.Running;

    public static bool IsFinished(this AttemptState state) => state is not (AttemptState.Dispatched or AttemptState.Running);
}
