using System.Diagnostics;
using Microsoft.ML;

namespace ControlPlane.ML.Training;

/// <summary>
/// Chooses a candidate by cross-validation on the training rows: time-ordered expanding folds when the split is by
/// time (each fold validates on rows newer than those it trains on), else contiguous folds of the shuffled rows. New
/// candidates stop once the budget is spent; the first is always tried. Folds whose validation rows hold a single class
/// are skipped; a candidate without any usable fold is left out of the scores (and is chosen only if none has one).
/// With a single candidate nothing is cross-validated and the scores are empty.
/// </summary>
internal static class CandidateSearch
{
    public static (TrainerCandidate Best, IReadOnlyList<CandidateScore> Scores) Run(
        MLContext ml, FeatureMatrix train, TaskType task, TrainingSettings settings, bool byTime,
        Action<double, string>? progress, CancellationToken ct)
    {
        var grid = TrainerCandidate.Grid(task, settings.Trainers, settings.DefaultHyperparametersOnly, settings.Hyperparameters);
        var (metric, higher) = ModelEvaluator.Headline(task);
        if (grid.Count == 1)
        {
            return (grid[0], []); // nothing to choose between: no cross-validation, no scores
        }

        var folds = Folds(train.Count, settings.Folds, byTime);
        var budget = Stopwatch.StartNew();
        var scores = new List<CandidateScore>();
        var tried = 0;
        TrainerCandidate? best = null;
        var bestScore = double.NaN;
        foreach (var candidate in grid)
        {
            ct.ThrowIfCancellationRequested();
            if (tried > 0 && budget.Elapsed >= settings.TimeBudget)
            {
                break;
            }

            progress?.Invoke(10 + 60.0 * tried / grid.Count, $"Cross-validating {candidate.Trainer} ({tried + 1} of {grid.Count})");
            var watch = Stopwatch.StartNew();
            var values = new List<double>();
            foreach (var (fit, validate) in folds)
            {
                ct.ThrowIfCancellationRequested();
                if (!Usable(train, task, fit) || !Usable(train, task, validate))
                {
                    continue;
                }

                var model = candidate.Fit(train, fit, task, settings.Seed, settings.Threads);
                values.Add(ModelEvaluator.HeadlineValue(ml, model.Transform(train.View(ml, validate)), task));
            }

            tried++;
            if (values.Count == 0)
            {
                continue; // no fold with two classes on both sides: nothing to score it by
            }

            var score = values.Average();
            scores.Add(new CandidateScore(candidate.Trainer, candidate.Hyperparameters, metric, score, watch.Elapsed));
            if (best is null || Better(score, bestScore, higher))
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return (best ?? grid[0], scores);
    }

    private static bool Better(double score, double best, bool higher) => higher ? score > best : score < best;

    /// <summary>A binary or multiclass fold needs two classes.</summary>
    private static bool Usable(FeatureMatrix data, TaskType task, IReadOnlyList<int> rows) =>
        rows.Count > 1 && (task == TaskType.Regression || rows.Select(r => data.Labels[r]).Distinct().Count() > 1);

    private static IReadOnlyList<(int[] Fit, int[] Validate)> Folds(int count, int folds, bool byTime)
    {
        var result = new List<(int[], int[])>();
        if (byTime)
        {
            // Expanding window: chunk k validates a model fitted on chunks 0..k-1.
            var chunk = count / (folds + 1);
            for (var k = 1; k <= folds; k++)
            {
                var end = k == folds ? count : (k + 1) * chunk;
                result.Add((Enumerable.Range(0, k * chunk).ToArray(), Enumerable.Range(k * chunk, end - k * chunk).ToArray()));
            }

            return result;
        }

        for (var k = 0; k < folds; k++)
        {
            var from = count * k / folds;
            var to = count * (k + 1) / folds;
            result.Add((Enumerable.Range(0, count).Where(i => i < from || i >= to).ToArray(), Enumerable.Range(from, to - from).ToArray()));
        }

        return result;
    }
}
