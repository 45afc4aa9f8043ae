using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Predictions;

/// <summary>A prediction an outcome answers, as read for the join.</summary>
/// <param name="Source">One of <see cref="PredictionSources"/>.</param>
internal sealed record JoinedPrediction(string Source, DateTime AsOf, Guid ModelVersionId, double Score, string? Label);

/// <summary>
/// The one definition of which prediction an outcome answers: the latest prediction for the same entity with an as-of
/// time at or before the outcome, among the current batch predictions (done partitions) and the real-time prediction
/// log. Used by the feedback views and by realized performance.
/// </summary>
internal static class OutcomeJoin
{
    private const int KeysPerQuery = 2000;

    /// <summary>The answered prediction of each outcome, in the outcomes' order (null where none is known).</summary>
    public static async Task<IReadOnlyList<JoinedPrediction?>> AnswerAsync(
        ControlPlaneDbContext db, Guid enrollment, IReadOnlyList<Outcome> outcomes, CancellationToken ct)
    {
        if (outcomes.Count == 0) return [];
        var latest = outcomes.Max(o => o.OccurredAt);
        var partitions = db.PredictionPartitions.Where(p => p.EnrollmentId == enrollment && p.State == PartitionStates.Done).Select(p => p.Id);
        var candidates = new Dictionary<string, List<JoinedPrediction>>(StringComparer.Ordinal);
        foreach (var keys in outcomes.Select(o => o.EntityKey).Distinct(StringComparer.Ordinal).Chunk(KeysPerQuery))
        {
            var batch = await db.Predictions.AsNoTracking().Where(p => partitions.Contains(p.PartitionId) && keys.Contains(p.EntityKey!) && p.AsOf <= latest)
                .Select(p => new { p.EntityKey, Prediction = new JoinedPrediction(PredictionSources.Batch, p.AsOf, p.ModelVersionId, p.Score, p.Label) })
                .ToListAsync(ct);
            var logged = await db.PredictionLog.AsNoTracking().Where(e => e.EnrollmentId == enrollment && e.Source == PredictionSources.RealTime
                    && keys.Contains(e.EntityKey!) && e.At <= latest)
                .Select(e => new { e.EntityKey, Prediction = new JoinedPrediction(PredictionSources.RealTime, e.At, e.ModelVersionId, e.Score, e.Label) })
                .ToListAsync(ct);
            foreach (var row in batch.Concat(logged))
            {
                if (!candidates.TryGetValue(row.EntityKey!, out var list)) candidates[row.EntityKey!] = list = [];
                list.Add(row.Prediction);
            }
        }

        // Newest first; a batch prediction and a logged one of the same instant: the batch one (a stable sort keeps it first).
        var newestFirst = candidates.ToDictionary(c => c.Key, c => c.Value.OrderByDescending(p => p.AsOf).ToList(), StringComparer.Ordinal);
        return outcomes.Select(o => newestFirst.TryGetValue(o.EntityKey, out var list) ? list.FirstOrDefault(p => p.AsOf <= o.OccurredAt) : null).ToArray();
    }
}
