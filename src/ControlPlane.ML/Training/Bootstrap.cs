namespace ControlPlane.ML.Training;

/// <summary>
/// Percentile bootstrap intervals of metrics, and paired comparisons of two models on the same rows (decision 0035):
/// each replicate draws the rows again with replacement (as weights), the same draw for both models of a pair, so the
/// interval of their difference counts only what differs between them on these rows. Seeded: the same rows give the
/// same intervals.
/// </summary>
public static class Bootstrap
{
    public const int Replicates = 500;

    /// <summary>A replicate whose metric is undefined (one class drawn) is skipped; more than this share skipped, no interval.</summary>
    private const double MaxUndefined = 0.1;

    /// <summary>The 95 % interval of each metric, by name; a metric that cannot be measured on these rows has none.</summary>
    public static IReadOnlyDictionary<string, MetricInterval> Intervals(ScoredRows rows, IReadOnlyList<string> metrics, int seed, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(metrics);
        var samples = metrics.Select(_ => new List<double>(Replicates)).ToArray();
        var weights = new double[rows.Count];
        var random = new Random(seed);
        for (var b = 0; b < Replicates && rows.Count > 0; b++)
        {
            Draw(random, weights);
            for (var m = 0; m < metrics.Count; m++)
            {
                var value = RowMetrics.Value(metrics[m], rows, weights, threshold);
                if (!double.IsNaN(value)) samples[m].Add(value);
            }
        }

        var result = new Dictionary<string, MetricInterval>(StringComparer.Ordinal);
        for (var m = 0; m < metrics.Count; m++)
        {
            if (Percentiles(samples[m]) is { } interval)
            {
                result[metrics[m]] = interval;
            }
        }

        return result;
    }

    /// <summary>
    /// <paramref name="a"/> against <paramref name="b"/> on the same rows (row i of each is the same row) by
    /// <paramref name="metric"/>: both values, their difference a − b and its 95 % interval, and the verdict from
    /// a's side — better or worse when the interval leaves out 0, else within noise.
    /// </summary>
    public static PairedDifference Paired(ScoredRows a, ScoredRows b, string metric, int seed, double thresholdA = 0.5, double thresholdB = 0.5)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"A paired comparison needs the same rows: {a.Count} against {b.Count}.", nameof(b));
        }

        var valueA = RowMetrics.Value(metric, a, default, thresholdA);
        var valueB = RowMetrics.Value(metric, b, default, thresholdB);
        if (double.IsNaN(valueA) || double.IsNaN(valueB))
        {
            return new PairedDifference(metric, valueA, valueB, double.NaN, null, ComparisonVerdict.Unmeasured, a.Count);
        }

        var differences = new List<double>(Replicates);
        var weights = new double[a.Count];
        var random = new Random(seed);
        for (var r = 0; r < Replicates; r++)
        {
            Draw(random, weights);
            var x = RowMetrics.Value(metric, a, weights, thresholdA);
            var y = RowMetrics.Value(metric, b, weights, thresholdB);
            if (!double.IsNaN(x) && !double.IsNaN(y)) differences.Add(x - y);
        }

        var interval = Percentiles(differences);
        var higher = RowMetrics.HigherIsBetter(metric);
        var verdict = interval switch
        {
            null => ComparisonVerdict.Unmeasured,
            { Low: > 0 } => higher ? ComparisonVerdict.Better : ComparisonVerdict.Worse,
            { High: < 0 } => higher ? ComparisonVerdict.Worse : ComparisonVerdict.Better,
            _ => ComparisonVerdict.WithinNoise,
        };
        return new PairedDifference(metric, valueA, valueB, valueA - valueB, interval, verdict, a.Count);
    }

    /// <summary>How many times each row is drawn when the rows are drawn again with replacement.</summary>
    private static void Draw(Random random, double[] weights)
    {
        Array.Clear(weights);
        for (var i = 0; i < weights.Length; i++)
        {
            weights[random.Next(weights.Length)]++;
        }
    }

    private static MetricInterval? Percentiles(List<double> samples)
    {
        if (samples.Count < Replicates * (1 - MaxUndefined))
        {
            return null;
        }

        samples.Sort();
        return new MetricInterval(Quantile(samples, 0.025), Quantile(samples, 0.975));
    }

    private static double Quantile(List<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}

/// <summary>A 95 % interval of a metric.</summary>
public sealed record MetricInterval(double Low, double High);

/// <summary>One model (a) against another (b) on the same rows; <see cref="Difference"/> is a − b in the metric's units.</summary>
/// <param name="Interval">The 95 % paired bootstrap interval of the difference; null when it cannot be measured on these rows.</param>
/// <param name="Verdict">From a's side.</param>
public sealed record PairedDifference(string Metric, double A, double B, double Difference, MetricInterval? Interval, ComparisonVerdict Verdict, int Rows);

public enum ComparisonVerdict
{
    /// <summary>Too few rows (or one class) to measure the difference.</summary>
    Unmeasured,
    WithinNoise,
    Better,
    Worse,
}
