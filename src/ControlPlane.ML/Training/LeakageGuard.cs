using System.Globalization;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// Looks for a feature that carries the answer — known only after the outcome — before a model may be promoted
/// without a person (decision 0035). On the validation rows, with what the training rows taught: each feature alone
/// against the label (a single-feature AUC, R² or macro accuracy of <see cref="SingleFeatureLimit"/> or more); one
/// feature holding most of the importance while the model is near perfect; metrics too good to be true; and, for a
/// split drawn at random, the same entity keys in training and test rows (duplicated rows). Any of these is a
/// suspected leak: the model is registered, but the promotion gate does not promote it on its own. Near-perfect scores
/// are only judged with at least <see cref="MinimumPerClass"/> validation rows of each class (<see cref="MinimumRows"/>
/// for a regression): below that a feature separates a handful of rows perfectly by chance, and the note says so.
/// </summary>
internal static class LeakageGuard
{
    public const double SingleFeatureLimit = 0.98;
    public const double NearPerfect = 0.98;
    public const double TooGood = 0.995;
    public const double ImportanceShare = 0.8;
    public const double SharedKeyShare = 0.05;

    /// <summary>
    /// Validation rows of each class (binary, multiclass: rows in all) needed before a near-perfect score means
    /// anything: with two positives among eighteen rows, some feature separates them perfectly by chance.
    /// </summary>
    public const int MinimumPerClass = 10;

    public const int MinimumRows = 30;

    /// <summary>Slots of one feature looked at one by one at most (the ones set most often in training): text n-grams give thousands.</summary>
    private const int MaxSlotsPerFeature = 64;

    private const int Bins = 20;

    public static LeakageReport Check(
        FeatureMatrix train, FeatureMatrix validation, IReadOnlyList<FeatureGroup> groups, TaskType task,
        ScoredRows validationScores, IReadOnlyList<FeatureImportance> importance, bool splitByTime, string?[] trainKeys, string?[] testKeys)
    {
        var findings = new List<LeakFinding>();
        var notes = new List<string>();
        var signals = groups.Select(g => new FeatureSignal(g.Feature, SignalMetric(task), Signal(train, validation, g, task)))
            .Where(s => !double.IsNaN(s.Value)).OrderByDescending(s => s.Value).ToArray();
        var rows = Count(validation.Count);
        if (TooFew(validation, task) is { } few)
        {
            notes.Add($"Too few validation rows to judge a near-perfect score ({few}); the checks of single features and of metrics too good to be true were not made.");
            signals = [];
        }

        foreach (var signal in signals.Where(s => s.Value >= SingleFeatureLimit))
        {
            findings.Add(new LeakFinding(LeakChecks.SingleFeature, signal.Feature, signal.Value, SingleFeatureLimit,
                $"'{signal.Feature}' alone gives {Name(signal.Metric)} {F(signal.Value)} on the {rows} validation rows (suspect from {F(SingleFeatureLimit)}): is it known only after the outcome?"));
        }

        var (metric, quality) = Quality(validationScores);
        var positive = importance.Where(i => i.Importance > 0).ToArray();
        var total = positive.Sum(i => i.Importance);
        if (total > 0 && quality >= NearPerfect && positive[0].Importance / total >= ImportanceShare && TooFew(validation, task) is null)
        {
            var share = positive[0].Importance / total;
            findings.Add(new LeakFinding(LeakChecks.Importance, positive[0].Feature, share, ImportanceShare,
                $"'{positive[0].Feature}' carries {share.ToString("P0", CultureInfo.InvariantCulture)} of the importance while the model reaches {Name(metric)} {F(quality)} on validation."));
        }

        if (quality >= TooGood && TooFew(validation, task) is null)
        {
            findings.Add(new LeakFinding(LeakChecks.TooGood, null, quality, TooGood,
                $"{Name(metric)} {F(quality)} on the {rows} validation rows is too good to be true for most real problems: check the features for the answer."));
        }

        var known = trainKeys.OfType<string>().ToHashSet(StringComparer.Ordinal);
        var shared = testKeys.Count(k => k is not null && known.Contains(k));
        if (shared > 0)
        {
            var share = (double)shared / testKeys.Length;
            var text = $"{Count(shared)} of the {Count(testKeys.Length)} test rows ({share.ToString("P0", CultureInfo.InvariantCulture)}) have an entity key also in the training rows";
            if (!splitByTime && share >= SharedKeyShare)
            {
                findings.Add(new LeakFinding(LeakChecks.SharedKeys, null, share, SharedKeyShare,
                    text + ": with a split drawn at random these are duplicated rows or several rows per entity, and the test measures memory, not prediction."));
            }
            else
            {
                notes.Add(text + (splitByTime ? " (earlier rows of the same entities: expected with snapshots over time)." : "."));
            }
        }

        return new LeakageReport(findings.Count > 0, findings, signals.Take(10).ToArray(), notes);
    }

    /// <summary>Why the rows are too few to judge a near-perfect score, or null when they are enough.</summary>
    private static string? TooFew(FeatureMatrix rows, TaskType task)
    {
        if (task == TaskType.Regression)
        {
            return rows.Count < MinimumRows ? $"{Count(rows.Count)}; {MinimumRows} needed" : null;
        }

        var counts = rows.Labels.GroupBy(l => l).Select(g => g.Count()).ToArray();
        return counts.Length < 2 || counts.Min() < MinimumPerClass
            ? $"{Count(rows.Count)}, the rarest class {(counts.Length < 2 ? 0 : counts.Min())} of them; {MinimumPerClass} of each class needed"
            : null;
    }

    private static string SignalMetric(TaskType task) => task switch
    {
        TaskType.Binary => RowMetrics.Auc,
        TaskType.Multiclass => RowMetrics.MacroAccuracy,
        _ => RowMetrics.RSquared,
    };

    /// <summary>The model's own quality on validation by the metric the limits speak of (AUC, R², macro accuracy).</summary>
    private static (string Metric, double Value) Quality(ScoredRows scores)
    {
        var metric = SignalMetric(scores.Task);
        return (metric, RowMetrics.Value(metric, scores, default));
    }

    /// <summary>How well the feature alone tells the label on validation: the best of its slots, or of its one-hot category.</summary>
    private static double Signal(FeatureMatrix train, FeatureMatrix validation, FeatureGroup group, TaskType task)
    {
        if (validation.Count < 2 || train.Count < 2)
        {
            return double.NaN;
        }

        if (IsIndicator(train, group))
        {
            return Score(task, Hot(train, group), train.Labels, Hot(validation, group), validation.Labels, categorical: true);
        }

        var slots = group.Slots.Length <= MaxSlotsPerFeature
            ? group.Slots
            : group.Slots.OrderByDescending(s => train.Features.Count(f => f.GetItemOrDefault(s) != 0)).Take(MaxSlotsPerFeature).ToArray();
        return slots.Select(s => Score(task, Slot(train, s), train.Labels, Slot(validation, s), validation.Labels, categorical: false))
            .Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Max();
    }

    /// <summary>Every slot holds only 0 or 1 in training (one-hot, hashed or boolean): the feature is one category per row.</summary>
    private static bool IsIndicator(FeatureMatrix rows, FeatureGroup group) =>
        rows.Features.All(f => group.Slots.All(s => f.GetItemOrDefault(s) is 0 or 1));

    private static double[] Hot(FeatureMatrix rows, FeatureGroup group) =>
        rows.Features.Select(f => (double)Array.FindIndex(group.Slots, s => f.GetItemOrDefault(s) != 0)).ToArray();

    private static double[] Slot(FeatureMatrix rows, int slot) => rows.Features.Select(f => (double)f.GetItemOrDefault(slot)).ToArray();

    private static double Score(TaskType task, double[] trainX, float[] trainY, double[] x, float[] y, bool categorical)
    {
        var labels = y.Select(v => (double)v).ToArray();
        switch (task)
        {
            case TaskType.Binary:
                if (!categorical)
                {
                    var auc = RowMetrics.Value(RowMetrics.Auc, new ScoredRows(task, labels, x), default);
                    return double.IsNaN(auc) ? auc : Math.Max(auc, 1 - auc);
                }

                var rate = Lookup(trainX, trainY, categorical, v => (v.Count(l => l > 0.5) + 1.0) / (v.Count + 2.0), 0.5);
                return RowMetrics.Value(RowMetrics.Auc, new ScoredRows(task, labels, x.Select(rate).ToArray()), default);
            case TaskType.Regression:
                if (!categorical)
                {
                    return Math.Max(Square(Pearson(x, labels)), Square(Pearson(Ranks(x), Ranks(labels))));
                }

                var mean = Lookup(trainX, trainY, categorical, v => v.Average(l => (double)l), trainY.Average(l => (double)l));
                return RowMetrics.Value(RowMetrics.RSquared, new ScoredRows(task, labels, x.Select(mean).ToArray()), default);
            default:
                var classes = (int)Math.Max(trainY.DefaultIfEmpty(0).Max(), y.DefaultIfEmpty(0).Max());
                var majority = Lookup(trainX, trainY, categorical, v => v.GroupBy(l => l).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key, 0);
                var predicted = x.Select(v => (int)majority(v)).ToArray();
                return RowMetrics.Value(RowMetrics.MacroAccuracy, new ScoredRows(task, labels, new double[x.Length], predicted, classes), default);
        }
    }

    /// <summary>
    /// A one-feature model learnt on the training rows: one value per category (or per quantile bin of a number),
    /// <paramref name="fallback"/> for a category or bin training never saw.
    /// </summary>
    private static Func<double, double> Lookup(double[] x, float[] y, bool categorical, Func<List<float>, double> summarize, double fallback)
    {
        Func<double, double> bin = v => v;
        if (!categorical)
        {
            var sorted = x.Order().ToArray();
            var edges = Enumerable.Range(1, Bins - 1).Select(k => sorted[(int)((long)k * (sorted.Length - 1) / Bins)]).Distinct().ToArray();
            bin = v =>
            {
                var i = Array.BinarySearch(edges, v);
                return i >= 0 ? i : ~i;
            };
        }

        var table = x.Select((v, i) => (Key: bin(v), Label: y[i])).GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => summarize(g.Select(p => p.Label).ToList()));
        return v => table.TryGetValue(bin(v), out var value) ? value : fallback;
    }

    private static double Pearson(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    private static double Square(double v) => v * v;

    /// <summary>Ranks with ties sharing their mean rank.</summary>
    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            for (var k = start; k <= end; k++) ranks[order[k]] = (start + end) / 2.0;
            start = end + 1;
        }

        return ranks;
    }

    private static string Name(string metric) => metric switch
    {
        RowMetrics.Auc => "AUC",
        RowMetrics.RSquared => "R²",
        RowMetrics.MacroAccuracy => "macro accuracy",
        _ => metric,
    };

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>What the leakage checks found on the validation rows (<see cref="LeakageGuard"/>).</summary>
/// <param name="Suspected">Any finding: the gate does not promote the version on its own.</param>
/// <param name="Signals">Each feature alone against the label, strongest first (at most ten).</param>
/// <param name="Notes">What was seen but is no suspicion (entity keys shared across a split by time).</param>
public sealed record LeakageReport(bool Suspected, IReadOnlyList<LeakFinding> Findings, IReadOnlyList<FeatureSignal> Signals, IReadOnlyList<string> Notes);

/// <param name="Check">One of <see cref="LeakChecks"/>.</param>
/// <param name="Feature">The feature suspected, when the check is about one.</param>
public sealed record LeakFinding(string Check, string? Feature, double Value, double Limit, string Message);

/// <param name="Metric">"auc", "rSquared" or "macroAccuracy".</param>
public sealed record FeatureSignal(string Feature, string Metric, double Value);

public static class LeakChecks
{
    public const string SingleFeature = "single-feature";
    public const string Importance = "importance";
    public const string TooGood = "too-good";
    public const string SharedKeys = "shared-keys";
}
