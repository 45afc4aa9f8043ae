using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// Finds attempts whose node is gone and hands them back (decision 0039). Every executor node bumps its heartbeat
/// counter once a second; every node watches the others' counters on its own monotonic clock — a counter that has not
/// moved for <see cref="ExecutorOptions.NodeLostSeconds"/> means the node is lost (killed, frozen, cut off), whatever the
/// machines' clocks say. Its dispatched and running attempts are then recorded as interrupted, which re-queues their
/// tasks at once without using up their retries; the stale Quartz job, if it ever fires, finds its attempt settled.
/// A node that restarts under the same name hands back the attempts of its earlier life the same way.
/// </summary>
public sealed class NodeLiveness(
    IDbContextFactory<ControlPlaneDbContext> dbs,
    DagEngine engine,
    LocalAttempts local,
    AttemptLogSink logSink,
    ExecutorNode node,
    IOptions<ExecutorOptions> options,
    TimeProvider time,
    ILogger<NodeLiveness> logger)
{
    private static readonly TimeSpan BeatInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    private readonly DateTime _startedAt = time.GetUtcNow().UtcDateTime;
    private readonly Dictionary<string, (long Beats, long SeenAt)> _seen = new(StringComparer.Ordinal);
    private long _lastBeat;
    private long _beats;

    private TimeSpan LostAfter => TimeSpan.FromSeconds(options.Value.NodeLostSeconds);

    /// <summary>Bumps this node's counter when a beat is due; cheap to call on every loop cycle.</summary>
    public async Task BeatAsync(CancellationToken ct)
    {
        if (_lastBeat != 0 && time.GetElapsedTime(_lastBeat) < BeatInterval)
        {
            return;
        }

        _lastBeat = time.GetTimestamp();
        var now = Clock.UtcNow(time);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var updated = await db.ExecutorNodeBeats.Where(b => b.NodeId == node.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Beats, b => b.Beats + 1).SetProperty(b => b.BeatAt, now), ct);
        if (updated == 0)
        {
            db.ExecutorNodeBeats.Add(new ExecutorNodeBeat { NodeId = node.Id, Beats = ++_beats, BeatAt = now, StartedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another process under the same name inserted it first; the next beat updates it.
            }
        }
    }

    /// <summary>Marks the attempts of lost nodes (and of this node's earlier life) interrupted; returns how many.</summary>
    public async Task<int> RecoverAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var beats = await db.ExecutorNodeBeats.AsNoTracking().ToListAsync(ct);
        var nowTick = time.GetTimestamp();
        foreach (var beat in beats)
        {
            if (!_seen.TryGetValue(beat.NodeId, out var seen) || seen.Beats != beat.Beats)
            {
                _seen[beat.NodeId] = (beat.Beats, nowTick);
            }
        }

        var open = await db.TaskAttempts.AsNoTracking()
            .Where(a => a.State == AttemptState.Dispatched || a.State == AttemptState.Running)
            .Select(a => new { a.Id, a.Node, a.RunId, a.TaskRunId, a.DispatchedAt }).ToListAsync(ct);
        var recovered = 0;
        foreach (var attempt in open)
        {
            string? reason = null;
            if (attempt.Node == node.Id)
            {
                if (attempt.DispatchedAt < _startedAt && !local.Contains(attempt.Id))
                {
                    reason = $"Interrupted: node {node.Id} restarted while running it.";
                }
            }
            else
            {
                if (!_seen.TryGetValue(attempt.Node, out var seen))
                {
                    // No heartbeat at all (a node of an older version, or its row was removed): watch it from now on.
                    _seen[attempt.Node] = seen = (-1, nowTick);
                }

                var silent = time.GetElapsedTime(seen.SeenAt, nowTick);
                if (silent >= LostAfter)
                {
                    reason = $"Interrupted: node {attempt.Node} stopped answering (no heartbeat for {silent.TotalSeconds:0} s).";
                }
            }

            if (reason is null)
            {
                continue;
            }

            var taskName = await db.TaskRuns.Where(t => t.Id == attempt.TaskRunId).Select(t => t.Name).FirstOrDefaultAsync(ct) ?? "";
            logger.LogWarning("Attempt {AttemptId} of run {RunId} handed back by {ThisNode}: {Reason}", attempt.Id, attempt.RunId, node.Id, reason);
            logSink.Write(attempt.RunId, attempt.Id, taskName, LogLevel.Warning, reason);
            await engine.CompleteAttemptAsync(attempt.Id, AttemptState.Interrupted, reason, ct);
            recovered++;
        }

        var forgotten = Clock.UtcNow(time) - ForgetAfter;
        await db.ExecutorNodeBeats.Where(b => b.BeatAt < forgotten).ExecuteDeleteAsync(ct);
        return recovered;
    }

    /// <summary>On a clean stop the node's row goes: its attempts were settled by the node itself.</summary>
    public async Task ForgetSelfAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.ExecutorNodeBeats.Where(b => b.NodeId == node.Id).ExecuteDeleteAsync(ct);
    }
}
