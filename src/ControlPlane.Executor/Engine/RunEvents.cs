using ControlPlane.Core.Pipelines;

namespace ControlPlane.Executor.Engine;

/// <summary>Something about a run changed: its state, a task's state or progress, or a new log line.</summary>
public sealed record RunEvent(Guid RunId, string Kind, string? Task = null, TaskState? TaskState = null, double? Progress = null,
    string? Message = null, Guid? AttemptId = null, RunState? RunState = null)
{
    public const string RunChanged = "run";
    public const string TaskChanged = "task";
    public const string TaskProgress = "progress";
    public const string LogLine = "log";
}

/// <summary>
/// The in-process notifier: engine code publishes, components and the hub subscribe. Handlers run on the publisher's
/// thread and must be quick (components marshal with InvokeAsync). Events from other nodes arrive through the cluster bus.
/// </summary>
public sealed class RunEvents
{
    private readonly Lock _gate = new();
    private Action<RunEvent>[] _handlers = [];

    public IDisposable Subscribe(Action<RunEvent> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    /// <summary>Raised for events of this node; the cluster bus forwards these to the other nodes.</summary>
    public event Action<RunEvent>? PublishedLocally;

    public void Publish(RunEvent e)
    {
        Deliver(e);
        PublishedLocally?.Invoke(e);
    }

    /// <summary>Delivers an event that came from another node.</summary>
    public void DeliverRemote(RunEvent e) => Deliver(e);

    private void Deliver(RunEvent e)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(e);
            }
            catch (Exception)
            {
                // A broken subscriber (a closed circuit) must not stop the engine or other subscribers.
            }
        }
    }

    private void Unsubscribe(Action<RunEvent> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.Where(h => h != handler).ToArray();
        }
    }

    private sealed class Subscription(RunEvents owner, Action<RunEvent> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
