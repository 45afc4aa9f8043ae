using System.Collections.Concurrent;

namespace ControlPlane.Executor.Engine;

/// <summary>The attempts running on this node, with the means to stop each one.</summary>
public sealed class LocalAttempts
{
    private readonly ConcurrentDictionary<Guid, (Guid TaskRunId, CancellationTokenSource Cancel)> _running = new();

    public int Count => _running.Count;

    public IReadOnlyCollection<Guid> TaskRunIds => _running.Values.Select(v => v.TaskRunId).ToList();

    public bool Contains(Guid attemptId) => _running.ContainsKey(attemptId);

    /// <summary>The ids of the attempts running here.</summary>
    public IReadOnlyCollection<Guid> AttemptIds => _running.Keys.ToList();

    /// <summary>Stops these attempts (settled elsewhere: another node handed them back while this one was silent).</summary>
    public int CancelAttempts(IEnumerable<Guid> attemptIds)
    {
        var cancelled = 0;
        foreach (var id in attemptIds)
        {
            if (_running.TryGetValue(id, out var entry) && !entry.Cancel.IsCancellationRequested)
            {
                entry.Cancel.Cancel();
                cancelled++;
            }
        }

        return cancelled;
    }

    internal void Add(Guid attemptId, Guid taskRunId, CancellationTokenSource cancel) => _running[attemptId] = (taskRunId, cancel);

    internal void Remove(Guid attemptId) => _running.TryRemove(attemptId, out _);

    /// <summary>Stops the attempts of these task runs (cancelled runs, failed deadlines).</summary>
    public int CancelTasks(IEnumerable<Guid> taskRunIds)
    {
        var set = taskRunIds.ToHashSet();
        var cancelled = 0;
        foreach (var (_, (taskRunId, cancel)) in _running)
        {
            if (set.Contains(taskRunId) && !cancel.IsCancellationRequested)
            {
                cancel.Cancel();
                cancelled++;
            }
        }

        return cancelled;
    }
}
