using System.Diagnostics;
using Microsoft.ML;

namespace ControlPlane.ML.Training;

/// <summary>
/// Chooses a candidate by cross-validation on the training rows: time-ordered expanding folds when the split is by
/// time (each fold validates on rows newer than those it trains on), else contiguous folds of the shuffled rows.
/// Folds whose validation rows hold a single class are skipped; a candidate without any usable fold is left out of the
/// scores. With a single candidate nothing is cross-validated and the scores are empty.
/// <para>The choice follows the one-standard-error rule: of the candidates whose mean score lies within one standard
/// error (over the folds) of the best mean, the first in grid order — robust defaults first — is chosen. Candidates close
/// to each other differ by noise on a few folds; picking the maximum of noisy estimates chose a different recipe per
/// tenant and lost out of time (decision 0035).</para>
/// <para>The time budget holds inside a candidate too: the budget is looked at before every fold, and a candidate
/// whose folds it cuts short is dropped (a score from fewer folds would not compare fairly). Before a candidate starts,
/// its time is estimated from what the same trainer took per fold so far, scaled by its size (trees × leaves for
/// boosted trees); one that would not fit in what is left is skipped. When no candidate got a score, the first (the
/// first trainer's default setting) is chosen. The report's search note says what was left out and why.</para>
/// </summary>
internal static class CandidateSearch
{
    public static (TrainerCandidate Best, IReadOnlyList<CandidateScore> Scores, string? Note) Run(
        MLContext ml, FeatureMatrix train, TaskType task, TrainingSettings settings, bool byTime,
        Action<double, string>? progress, CancellationToken ct)
    {
        var grid = TrainerCandidate.Grid(task, settings.Trainers, settings.DefaultHyperparametersOnly, settings.Hyperparameters);
        var (metric, higher) = ModelEvaluator.Headline(task);
        if (grid.Count == 1)
        {
            return (grid[0], [], null); // nothing to choose between: no cross-validation, no scores
        }

        var folds = Folds(train.Count, settings.Folds, byTime);
        var budget = Stopwatch.StartNew();
        var scores = new List<CandidateScore>();
        var secondsPerFoldAndSize = new Dictionary<string, double>(StringComparer.Ordinal);
        int predictedOver = 0, cutShort = 0, untried = 0;
        var scored = new List<(TrainerCandidate Candidate, double Mean, double StandardError)>();
        for (var k = 0; k < grid.Count; k++)
        {
            ct.ThrowIfCancellationRequested();
            var candidate = grid[k];
            var left = settings.TimeBudget - budget.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                untried = grid.Count - k;
                break;
            }

            if (secondsPerFoldAndSize.TryGetValue(candidate.Trainer, out var rate) && rate * candidate.Size * folds.Count > left.TotalSeconds)
            {
                predictedOver++;
                continue;
            }

            progress?.Invoke(10 + 60.0 * k / grid.Count, $"Cross-validating {candidate.Trainer} ({k + 1} of {grid.Count})");
            var watch = Stopwatch.StartNew();
            var values = new List<double>();
            var foldsRun = 0;
            var complete = true;
            foreach (var (fit, validate) in folds)
            {
                ct.ThrowIfCancellationRequested();
                if (budget.Elapsed >= settings.TimeBudget)
                {
                    complete = false;
                    break;
                }

                if (!Usable(train, task, fit) || !Usable(train, task, validate))
                {
                    continue;
                }

                var model = candidate.Fit(train, fit, task, settings.Seed, settings.Threads);
                values.Add(ModelEvaluator.HeadlineValue(model.Transform(train.View(validate)), task));
                foldsRun++;
            }

            if (foldsRun > 0)
            {
                secondsPerFoldAndSize[candidate.Trainer] = watch.Elapsed.TotalSeconds / foldsRun / candidate.Size;
            }

            if (!complete)
            {
                cutShort++;
                continue;
            }

            if (values.Count == 0)
            {
                continue; // no fold with two classes on both sides: nothing to score it by
            }

            var score = values.Average();
            scores.Add(new CandidateScore(candidate.Trainer, candidate.Hyperparameters, metric, score, watch.Elapsed) { StandardError = StandardError(values) });
            scored.Add((candidate, score, StandardError(values)));
        }

        TrainerCandidate? chosen = null;
        if (scored.Count > 0)
        {
            var top = scored.Aggregate((a, b) => Better(b.Mean, a.Mean, higher) ? b : a);
            chosen = scored.First(s => higher ? s.Mean >= top.Mean - top.StandardError : s.Mean <= top.Mean + top.StandardError).Candidate;
        }
        return (chosen ?? grid[0], scores, Note(settings.TimeBudget, grid.Count, scores.Count, predictedOver, cutShort, untried, chosen is null));
    }

    private static string? Note(TimeSpan budget, int candidates, int scored, int predictedOver, int cutShort, int untried, bool noneScored)
    {
        if (predictedOver + cutShort + untried == 0)
        {
            return null;
        }

        var parts = new List<string>();
        if (cutShort > 0) parts.Add($"{cutShort} stopped when the budget ran out during its folds");
        if (predictedOver > 0) parts.Add($"{predictedOver} skipped as it would not have finished in the time left");
        if (untried > 0) parts.Add($"{untried} not started");
        var text = $"Search budget {budget.TotalSeconds:0} s: {scored} of {candidates} candidates scored; {string.Join(", ", parts)}.";
        return noneScored ? text + " No candidate finished its folds, so the first trainer's default setting was chosen." : text;
    }

    private static bool Better(double score, double best, bool higher) => higher ? score > best : score < best;

    /// <summary>The standard error of the mean over the folds (0 with one fold).</summary>
    private static double StandardError(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) / values.Count);
    }

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
