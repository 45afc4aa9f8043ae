using System.Threading.Channels;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// Collects attempt log lines: each line reaches subscribers at once and the database in batches, so a chatty task
/// costs one insert per batch rather than one per line.
/// </summary>
public sealed class AttemptLogSink(IDbContextFactory<ControlPlaneDbContext> dbs, RunEvents events, TimeProvider time, ILogger<AttemptLogSink> logger)
    : BackgroundService
{
    private readonly Channel<AttemptLogLine> _lines = Channel.CreateUnbounded<AttemptLogLine>(new UnboundedChannelOptions { SingleReader = true });

    public void Write(Guid runId, Guid attemptId, string task, LogLevel level, string message)
    {
        var line = new AttemptLogLine { AttemptId = attemptId, RunId = runId, At = Clock.UtcNow(time), Level = level.ToString(), Message = Trim(message) };
        _lines.Writer.TryWrite(line);
        events.Publish(new RunEvent(runId, RunEvent.LogLine, task, Message: $"{line.At:HH:mm:ss.fff} {line.Level} {line.Message}", AttemptId: attemptId));
    }

    /// <summary>Writes what is buffered now (tests and shutdown).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var batch = new List<AttemptLogLine>();
        while (_lines.Reader.TryRead(out var line))
        {
            batch.Add(line);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.AttemptLogLines.AddRange(batch);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not store {Count} attempt log lines", batch.Count);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _lines.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(100, stoppingToken);
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await FlushAsync(CancellationToken.None);
    }

    private static string Trim(string message) => message.Length > 3900 ? message[..3900] + "…" : message;
}
