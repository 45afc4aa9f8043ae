using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// Publishes every progress report at once and writes it to the database at most every quarter second, the first time a
/// quarter second into the task: a task that ends sooner writes its last report once, when it finishes.
/// </summary>
internal sealed class ProgressWriter(
    IDbContextFactory<ControlPlaneDbContext> dbs, RunEvents events, TimeProvider time, Guid runId, Guid taskRunId, string task)
{
    private static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(250);
    private long _lastWrite = time.GetTimestamp();
    private (double Percent, string? Message)? _pending;

    public async Task ReportAsync(double percent, string? message)
    {
        events.Publish(new RunEvent(runId, RunEvent.TaskProgress, task, TaskState.Running, percent, message));
        _pending = (percent, message);
        if (time.GetElapsedTime(_lastWrite) >= WriteInterval)
        {
            await FlushAsync();
        }
    }

    public async Task FlushAsync()
    {
        if (_pending is not { } pending)
        {
            return;
        }

        _pending = null;
        _lastWrite = time.GetTimestamp();
        await using var db = await dbs.CreateDbContextAsync();
        var message = pending.Message is { Length: > 480 } m ? m[..480] : pending.Message;
        await db.TaskRuns.Where(t => t.Id == taskRunId && t.State == TaskState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Progress, pending.Percent).SetProperty(t => t.ProgressMessage, message));
    }
}
