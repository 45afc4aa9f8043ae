using ControlPlane.Core.Data;
using ControlPlane.Core.Predictions;
using ControlPlane.ML;
using ControlPlane.ML.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring;

/// <summary>One day's scored rows, summarised: how many, by which versions, and (binary) what CBPE needs of them.</summary>
internal sealed class ScoredDay
{
    public int Rows { get; set; }
    public Dictionary<Guid, int> Versions { get; } = [];
    public CbpeAccumulator? Cbpe { get; init; }
}

/// <summary>A labelled prediction: the prediction's score and label and the actual outcome (as stored, see <see cref="Outcome.Label"/>).</summary>
internal readonly record struct LabelledRow(double Score, string? Predicted, string Actual);

/// <summary>Reads what a decay check judges, by UTC day of the predictions' as-of times.</summary>
internal static class DecayData
{
    /// <summary>The newest day (UTC midnight) with a current batch prediction or a logged real-time one, at most today; null when none.</summary>
    public static async Task<DateTime?> LastDayAsync(ControlPlaneDbContext db, Guid enrollment, DateTime now, CancellationToken ct)
    {
        var batch = await Current(db, enrollment).Where(p => p.AsOf <= now).MaxAsync(p => (DateTime?)p.AsOf, ct);
        var logged = await db.PredictionLog.Where(e => e.EnrollmentId == enrollment && e.Source == PredictionSources.RealTime && e.At <= now)
            .MaxAsync(e => (DateTime?)e.At, ct);
        var last = batch > logged || logged is null ? batch : logged;
        return last?.Date;
    }

    /// <summary>The versions that scored rows with as-of times in [from, to).</summary>
    public static async Task<List<Guid>> VersionsAsync(ControlPlaneDbContext db, Guid enrollment, DateTime from, DateTime to, CancellationToken ct)
    {
        var batch = await Current(db, enrollment).Where(p => p.AsOf >= from && p.AsOf < to).Select(p => p.ModelVersionId).Distinct().ToListAsync(ct);
        var logged = await db.PredictionLog.Where(e => e.EnrollmentId == enrollment && e.Source == PredictionSources.RealTime && e.At >= from && e.At < to)
            .Select(e => e.ModelVersionId).Distinct().ToListAsync(ct);
        return batch.Union(logged).ToList();
    }

    /// <summary>
    /// Scored rows with as-of times in [from, to), by day: current batch predictions and the real-time prediction log.
    /// Binary probabilities go to CBPE through their version's test-split calibration (<paramref name="calibration"/>).
    /// </summary>
    public static async Task<Dictionary<DateTime, ScoredDay>> ScoredAsync(
        ControlPlaneDbContext db, Guid enrollment, TaskType task, DateTime from, DateTime to, Func<Guid, ProbabilityCalibration?> calibration, CancellationToken ct)
    {
        var days = new Dictionary<DateTime, ScoredDay>();
        void Add(DateTime at, Guid version, double score, string? label)
        {
            if (!days.TryGetValue(at.Date, out var day)) days[at.Date] = day = new ScoredDay { Cbpe = task == TaskType.Binary ? new CbpeAccumulator() : null };
            day.Rows++;
            day.Versions[version] = day.Versions.GetValueOrDefault(version) + 1;
            day.Cbpe?.Add(calibration(version)?.Apply(score) ?? score, label is null ? score >= 0.5 : label == "true");
        }

        await foreach (var p in Current(db, enrollment).Where(p => p.AsOf >= from && p.AsOf < to)
                           .Select(p => new { p.AsOf, p.ModelVersionId, p.Score, p.Label }).AsAsyncEnumerable().WithCancellation(ct))
        {
            Add(p.AsOf, p.ModelVersionId, p.Score, p.Label);
        }

        await foreach (var e in db.PredictionLog.AsNoTracking().Where(e => e.EnrollmentId == enrollment && e.Source == PredictionSources.RealTime && e.At >= from && e.At < to)
                           .Select(e => new { e.At, e.ModelVersionId, e.Score, e.Label }).AsAsyncEnumerable().WithCancellation(ct))
        {
            Add(e.At, e.ModelVersionId, e.Score, e.Label);
        }

        return days;
    }

    /// <summary>
    /// Outcomes joined to the predictions they answer, by the day of the answered prediction's as-of time in [from, to).
    /// An outcome sent twice for the same prediction counts once (the newest).
    /// </summary>
    public static async Task<Dictionary<DateTime, List<LabelledRow>>> LabelledAsync(
        ControlPlaneDbContext db, Guid enrollment, DateTime from, DateTime to, CancellationToken ct)
    {
        // An outcome answers a prediction made at or before it, so older outcomes cannot answer one in range.
        var outcomes = await db.Outcomes.AsNoTracking().Where(o => o.EnrollmentId == enrollment && o.OccurredAt >= from)
            .OrderBy(o => o.Id).ToListAsync(ct);
        var answered = await OutcomeJoin.AnswerAsync(db, enrollment, outcomes, ct);
        var newest = new Dictionary<(string Key, string Source, DateTime AsOf), (JoinedPrediction Prediction, string Actual)>();
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (answered[i] is { } p && p.AsOf >= from && p.AsOf < to)
            {
                newest[(outcomes[i].EntityKey, p.Source, p.AsOf)] = (p, outcomes[i].Label);
            }
        }

        return newest.Values.GroupBy(v => v.Prediction.AsOf.Date)
            .ToDictionary(g => g.Key, g => g.Select(v => new LabelledRow(v.Prediction.Score, v.Prediction.Label, v.Actual)).ToList());
    }

    private static IQueryable<Prediction> Current(ControlPlaneDbContext db, Guid enrollment)
    {
        var partitions = db.PredictionPartitions.Where(p => p.EnrollmentId == enrollment && p.State == PartitionStates.Done).Select(p => p.Id);
        return db.Predictions.AsNoTracking().Where(p => partitions.Contains(p.PartitionId));
    }
}
