using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// Publishes every progress report at once and writes it to the database at most every quarter second, the first time a
/// quarter second into the task: a task that ends sooner writes its last report once, when it finishes. The periodic
/// writes happen in the background and never hold up or fail the task: a task may report progress from inside its own
/// database transaction (a batch score writing a partition does), and on SQLite a progress write waiting for that
/// transaction would otherwise wait for the task itself until the busy timeout. Writes are serialized (the newest report
/// wins); <see cref="FlushAsync"/> waits for a background write and then stores the last report.
/// </summary>
internal sealed class ProgressWriter(
    IDbContextFactory<ControlPlaneDbContext> dbs, RunEvents events, TimeProvider time, Guid runId, Guid taskRunId, string task, ILogger? logger = null)
{
    private static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(250);
    private readonly Lock _gate = new();
    private long _lastWrite = time.GetTimestamp();
    private (double Percent, string? Message)? _pending;
    private Task _background = Task.CompletedTask;

    public Task ReportAsync(double percent, string? message)
    {
        events.Publish(new RunEvent(runId, RunEvent.TaskProgress, task, TaskState.Running, percent, message));
        lock (_gate)
        {
            _pending = (percent, message);
            if (_background.IsCompleted && time.GetElapsedTime(_lastWrite) >= WriteInterval)
            {
                _lastWrite = time.GetTimestamp();
                _background = Task.Run(WritePendingInBackgroundAsync);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stores the last report, after any background write; a failure here is logged, never thrown.</summary>
    public async Task FlushAsync()
    {
        Task background;
        lock (_gate)
        {
            background = _background;
        }

        await background;
        await WritePendingAsync();
    }

    private async Task WritePendingInBackgroundAsync()
    {
        try
        {
            await WritePendingAsync();
        }
        catch (Exception ex)
        {
            logger?.LogDebug(ex, "Progress of task {Task} was not stored this time; a later report will be", task);
        }
    }

    private async Task WritePendingAsync()
    {
        (double Percent, string? Message) pending;
        lock (_gate)
        {
            if (_pending is not { } p)
            {
                return;
            }

            pending = p;
            _pending = null;
        }

        try
        {
            await using var db = await dbs.CreateDbContextAsync();
            var message = pending.Message is { Length: > 480 } m ? m[..480] : pending.Message;
            await db.TaskRuns.Where(t => t.Id == taskRunId && t.State == TaskState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Progress, pending.Percent).SetProperty(t => t.ProgressMessage, message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Progress is a courtesy: a write that could not be made never fails the attempt.
            logger?.LogWarning(ex, "Progress of task {Task} could not be stored", task);
        }
    }
}
