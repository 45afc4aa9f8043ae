using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using ControlPlane.Executor.Pipelines;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// Where a finished retrain-all run's time went, from the executor's own records: the run's wall time (created to
/// finished) and, per task name over the run and its children, how many ran, their total and median duration and the
/// median wait between becoming ready and starting; and the trainers' own measured durations inside those tasks
/// (<c>ModelReport.TrainingDuration</c>, stored with each registered version).
/// </summary>
public sealed record RetrainAllTimeline(TimeSpan Wall, int Children, IReadOnlyList<RetrainAllTimeline.TaskTimes> Tasks)
{
    public sealed record TaskTimes(string Name, int Count, TimeSpan Total, TimeSpan Median, TimeSpan MedianWait);

    public TaskTimes Task(string name) => Tasks.Single(t => t.Name == name);

    /// <summary>Time the "training" pool's slots were busy with <c>train</c> tasks, as a share of the slots the tenants' phase offered.</summary>
    public double TrainingSlotUse(int slots, TimeSpan tenantsPhase) => Task(TrainTask.Name).Total / (slots * tenantsPhase);

    /// <summary>Sum of the tenants' <c>ModelTrainer.Train</c> durations inside the <c>train</c> tasks.</summary>
    public TimeSpan OwnTraining { get; init; }

    /// <summary>Sum of the regions' <c>PooledTrainer.Train</c> durations inside the <c>pooled</c> task.</summary>
    public TimeSpan PooledTraining { get; init; }

    /// <summary>From the first child's creation to the run's end: the part of the wall time after the pooled step.</summary>
    public TimeSpan TenantsPhase { get; init; }

    /// <summary>Median, over every attempt, from being claimed (dispatched) to its body starting on a Quartz thread.</summary>
    public TimeSpan MedianLaunch { get; init; }

    /// <summary>
    /// Median gap a training slot stood empty while a <c>train</c> task was waiting: from a <c>train</c> attempt's end to
    /// the next <c>train</c> attempt's start, over the starts whose task was ready before that end.
    /// </summary>
    public TimeSpan MedianTrainingRefill { get; init; }

    public static async Task<RetrainAllTimeline> ReadAsync(IDbContextFactory<ControlPlaneDbContext> dbs, Guid runId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var run = await db.PipelineRuns.AsNoTracking().FirstAsync(r => r.Id == runId, ct);
        var children = await db.PipelineRuns.AsNoTracking().Where(r => r.ParentRunId == runId).Select(r => new { r.Id, r.CreatedAt }).ToListAsync(ct);
        var ids = children.Select(c => c.Id).Append(runId).ToList();
        var tasks = await db.TaskRuns.AsNoTracking().Where(t => ids.Contains(t.RunId))
            .Select(t => new { t.Name, t.ReadyAt, t.StartedAt, t.FinishedAt }).ToListAsync(ct);
        var times = tasks.GroupBy(t => t.Name).Select(g =>
        {
            var durations = g.Select(t => t.FinishedAt!.Value - t.StartedAt!.Value).Order().ToList();
            var waits = g.Select(t => t.StartedAt!.Value - (t.ReadyAt ?? t.StartedAt!.Value)).Order().ToList();
            return new TaskTimes(g.Key, durations.Count, durations.Aggregate(TimeSpan.Zero, (a, d) => a + d), durations[durations.Count / 2], waits[waits.Count / 2]);
        }).OrderByDescending(t => t.Total).ToList();
        var trained = await db.ModelVersions.AsNoTracking().Where(v => v.RunId != null && ids.Contains(v.RunId.Value))
            .Select(v => new { v.Kind, v.TrainingDuration }).ToListAsync(ct);
        TimeSpan Sum(string kind) => trained.Where(v => v.Kind == kind).Aggregate(TimeSpan.Zero, (a, v) => a + v.TrainingDuration);
        var attempts = await db.TaskAttempts.AsNoTracking().Where(a => ids.Contains(a.RunId))
            .Join(db.TaskRuns.AsNoTracking(), a => a.TaskRunId, t => t.Id, (a, t) => new { t.Name, t.ReadyAt, a.DispatchedAt, a.StartedAt, a.FinishedAt })
            .ToListAsync(ct);
        var launches = attempts.Where(a => a.StartedAt is not null).Select(a => a.StartedAt!.Value - a.DispatchedAt).Order().ToList();
        var trains = attempts.Where(a => a.Name == TrainTask.Name && a.StartedAt is not null && a.FinishedAt is not null).ToList();
        var ends = trains.Select(a => a.FinishedAt!.Value).Order().ToList();
        var refills = trains.Select(a =>
        {
            var previous = ends.LastOrDefault(e => e <= a.StartedAt!.Value);
            return previous != default && a.ReadyAt <= previous ? a.StartedAt!.Value - previous : (TimeSpan?)null;
        }).OfType<TimeSpan>().Order().ToList();
        var end = run.FinishedAt!.Value;
        return new RetrainAllTimeline(end - run.CreatedAt, children.Count, times)
        {
            TenantsPhase = children.Count == 0 ? TimeSpan.Zero : end - children.Min(c => c.CreatedAt),
            OwnTraining = Sum(ModelVersionKinds.Own),
            PooledTraining = Sum(ModelVersionKinds.Pooled),
            MedianLaunch = launches.Count == 0 ? TimeSpan.Zero : launches[launches.Count / 2],
            MedianTrainingRefill = refills.Count == 0 ? TimeSpan.Zero : refills[refills.Count / 2],
        };
    }
}
