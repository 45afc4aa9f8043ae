using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// Moves ready tasks to this node: per pool, as many as the pool has free slots here, choosing each time the share
/// (tenant) with the fewest active tasks in that pool (among equals, the one this node served longest ago), oldest
/// first within a share — so one tenant's thousand queued
/// backfill partitions wait their turn behind everyone else's single task. Claims are conditional updates, so
/// dispatchers on several nodes never claim one task twice.
/// </summary>
public sealed class Dispatcher(
    IDbContextFactory<ControlPlaneDbContext> dbs,
    ExecutorNode node,
    IOptions<ExecutorOptions> options,
    IAttemptLauncher launcher,
    TimeProvider time,
    RunEvents events,
    ExecutorMetrics metrics,
    ILogger<Dispatcher> logger)
{
    private readonly SemaphoreSlim _cycle = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);

    // When each share last got a slot here (a dispatch counter; only touched inside a cycle). With equally few active
    // tasks, the share served longest ago goes first: without it a one-slot pool serves strictly oldest-first, and a
    // tenant queueing after another's hundred tasks waits for all of them.
    private readonly Dictionary<(string Pool, string FairKey), long> _lastServed = [];
    private long _served;

    /// <summary>Asks for a dispatch cycle as soon as possible.</summary>
    public void Signal()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one pending wake-up is enough.
        }
    }

    /// <summary>Waits for a signal or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(CancellationToken ct) =>
        _wake.WaitAsync(TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds), ct);

    /// <summary>One dispatch cycle; returns how many attempts were launched.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        await _cycle.WaitAsync(ct);
        try
        {
            var launched = await ClaimAsync(ct);
            foreach (var claim in launched)
            {
                await launcher.LaunchAsync(claim.AttemptId, ct);
                events.Publish(new RunEvent(claim.RunId, RunEvent.TaskChanged, claim.Task, TaskState.Dispatched, 0));
            }

            return launched.Count;
        }
        finally
        {
            _cycle.Release();
        }
    }

    private async Task<List<Claim>> ClaimAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = Clock.UtcNow(time);
        // Free slots first, waiting work second: a slot that frees up between the two reads then sees every task that was
        // queued before it freed, so a tenant arriving just before another's task ends is not passed over.
        var activeHere = await db.TaskRuns.Where(t => t.Node == node.Id && (t.State == TaskState.Dispatched || t.State == TaskState.Running))
            .GroupBy(t => t.Pool).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var shares = await Ready(db, now)
            .GroupBy(t => new { t.Pool, t.FairKey })
            .Select(g => new Share(g.Key.Pool, g.Key.FairKey, g.Min(t => t.ReadyAt), g.Count()))
            .ToListAsync(ct);
        if (shares.Count == 0)
        {
            metrics.Queued(new Dictionary<string, int>());
            return [];
        }

        var pools = shares.Select(s => s.Pool).Distinct().ToList();
        var contested = shares.Count > pools.Count; // some pool has more than one share waiting: fairness needs the counts
        var activeByShare = !contested ? [] : await db.TaskRuns
            .Where(t => pools.Contains(t.Pool) && (t.State == TaskState.Dispatched || t.State == TaskState.Running))
            .GroupBy(t => new { t.Pool, t.FairKey }).Select(g => new { g.Key.Pool, g.Key.FairKey, Count = g.Count() })
            .ToDictionaryAsync(g => (g.Pool, g.FairKey), g => g.Count, ct);

        var claims = new List<Claim>();
        foreach (var pool in pools)
        {
            var free = options.Value.LimitFor(pool) - activeHere.GetValueOrDefault(pool);
            var candidates = shares.Where(s => s.Pool == pool).ToList();
            while (free > 0)
            {
                var share = candidates.Where(s => s.Waiting > 0)
                    .OrderBy(s => activeByShare.GetValueOrDefault((s.Pool, s.FairKey)))
                    .ThenBy(s => _lastServed.GetValueOrDefault((s.Pool, s.FairKey)))
                    .ThenBy(s => s.Oldest)
                    .FirstOrDefault();
                if (share is null)
                {
                    break;
                }

                var claim = await ClaimOneAsync(db, share, now, ct);
                if (claim is null)
                {
                    share.Waiting = 0; // taken by another node meanwhile; the next cycle looks again
                    continue;
                }

                claims.Add(claim);
                _lastServed[(share.Pool, share.FairKey)] = ++_served;
                share.Waiting--;
                activeByShare[(share.Pool, share.FairKey)] = activeByShare.GetValueOrDefault((share.Pool, share.FairKey)) + 1;
                free--;
            }
        }

        metrics.Queued(shares.GroupBy(s => s.Pool).ToDictionary(g => g.Key, g => g.Sum(s => s.Waiting)));
        return claims;
    }

    private async Task<Claim?> ClaimOneAsync(ControlPlaneDbContext db, Share share, DateTime now, CancellationToken ct)
    {
        var candidate = await Ready(db, now).Where(t => t.Pool == share.Pool && t.FairKey == share.FairKey)
            .OrderBy(t => t.ReadyAt).ThenBy(t => t.Order)
            .Select(t => new { t.Id, t.RunId, t.Name, t.Attempts, t.Version })
            .FirstOrDefaultAsync(ct);
        if (candidate is null)
        {
            return null;
        }

        // Attempts only ever grows (a clear raises MaxAttempts instead of resetting it), so numbers stay unique per task.
        var number = candidate.Attempts + 1;
        var attemptId = Guid.NewGuid();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.TaskRuns.Where(t => t.Id == candidate.Id && t.Version == candidate.Version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.State, TaskState.Dispatched)
                .SetProperty(t => t.Node, node.Id)
                .SetProperty(t => t.Attempts, candidate.Attempts + 1)
                .SetProperty(t => t.CurrentAttemptId, attemptId)
                .SetProperty(t => t.Progress, 0)
                .SetProperty(t => t.ProgressMessage, (string?)null)
                .SetProperty(t => t.Version, Guid.NewGuid()), ct);
        if (claimed == 0)
        {
            await tx.RollbackAsync(ct);
            return null;
        }

        db.TaskAttempts.Add(new TaskAttempt
        {
            Id = attemptId, TaskRunId = candidate.Id, RunId = candidate.RunId, Number = number,
            State = AttemptState.Dispatched, Node = node.Id, DispatchedAt = now,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogDebug("Claimed {Task} of run {RunId} (attempt {Attempt}) for pool {Pool} on {Node}",
            candidate.Name, candidate.RunId, number, share.Pool, node.Id);
        return new Claim(attemptId, candidate.RunId, candidate.Name);
    }

    private static IQueryable<TaskRun> Ready(ControlPlaneDbContext db, DateTime now) =>
        db.TaskRuns.Where(t => (t.State == TaskState.Queued || t.State == TaskState.UpForRetry) && (t.NotBefore == null || t.NotBefore <= now));

    private sealed class Share(string pool, string fairKey, DateTime? oldest, int waiting)
    {
        public string Pool { get; } = pool;
        public string FairKey { get; } = fairKey;
        public DateTime? Oldest { get; } = oldest;
        public int Waiting { get; set; } = waiting;
    }

    private sealed record Claim(Guid AttemptId, Guid RunId, string Task);
}
