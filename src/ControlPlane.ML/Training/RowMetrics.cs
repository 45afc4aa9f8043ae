namespace ControlPlane.ML.Training;

/// <summary>
/// Metrics of <see cref="ScoredRows"/> under row weights (null: every row once): the bootstrap passes how many times
/// each row was drawn. At unit weights they equal ML.NET's evaluators (AUC with ties counted half; macro accuracy the
/// mean recall over classes present; RMSE; R² against the rows' own mean).
/// </summary>
public static class RowMetrics
{
    public const string Auc = "auc";
    public const string F1 = "f1";
    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string Accuracy = "accuracy";
    public const string LogLoss = "logLoss";
    public const string MacroAccuracy = "macroAccuracy";
    public const string MicroAccuracy = "microAccuracy";
    public const string MacroF1 = "macroF1";
    public const string Rmse = "rmse";
    public const string Mae = "mae";
    public const string RSquared = "rSquared";

    /// <summary>The metrics that carry an interval, by task: the headline first.</summary>
    public static IReadOnlyList<string> WithIntervals(TaskType task) => task switch
    {
        TaskType.Binary => [Auc, F1, Accuracy],
        TaskType.Multiclass => [MacroAccuracy, MacroF1, MicroAccuracy],
        _ => [Rmse, Mae, RSquared],
    };

    /// <summary>Whether a larger value of the metric is better.</summary>
    public static bool HigherIsBetter(string metric) => metric is not (Rmse or Mae or LogLoss);

    /// <param name="threshold">Binary: the probability at or above which a row is predicted positive.</param>
    public static double Value(string metric, ScoredRows rows, ReadOnlySpan<double> weights, double threshold = 0.5) => metric switch
    {
        Auc => AreaUnderRoc(rows, weights),
        F1 or Precision or Recall or Accuracy when rows.Task == TaskType.Binary => AtThreshold(metric, rows, weights, threshold),
        LogLoss => BinaryLogLoss(rows, weights),
        MacroAccuracy or MicroAccuracy or MacroF1 or Accuracy or F1 => Multiclass(metric, rows, weights),
        Rmse => Math.Sqrt(Mean(rows, weights, (y, p) => (y - p) * (y - p))),
        Mae => Mean(rows, weights, (y, p) => Math.Abs(y - p)),
        RSquared => CoefficientOfDetermination(rows, weights),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    private static double Weight(ReadOnlySpan<double> weights, int i) => weights.IsEmpty ? 1 : weights[i];

    /// <summary>The probability that a random positive scores above a random negative, ties counting half.</summary>
    private static double AreaUnderRoc(ScoredRows rows, ReadOnlySpan<double> weights)
    {
        var order = rows.Order;
        var ends = rows.TieEnds;
        double negativesBelow = 0, positives = 0, sum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = ends[start];
            double pos = 0, neg = 0;
            for (var k = start; k < end; k++)
            {
                var w = Weight(weights, order[k]);
                if (rows.Labels[order[k]] > 0.5) pos += w;
                else neg += w;
            }

            sum += pos * (negativesBelow + neg / 2);
            negativesBelow += neg;
            positives += pos;
            start = end;
        }

        return positives == 0 || negativesBelow == 0 ? double.NaN : sum / (positives * negativesBelow);
    }

    private static double AtThreshold(string metric, ScoredRows rows, ReadOnlySpan<double> weights, double threshold)
    {
        double tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var w = Weight(weights, i);
            var positive = rows.Labels[i] > 0.5;
            var predicted = rows.Scores[i] >= threshold;
            if (positive && predicted) tp += w;
            else if (predicted) fp += w;
            else if (positive) fn += w;
            else tn += w;
        }

        return metric switch
        {
            Precision => tp + fp == 0 ? double.NaN : tp / (tp + fp),
            Recall => tp + fn == 0 ? double.NaN : tp / (tp + fn),
            Accuracy => tp + fp + fn + tn == 0 ? double.NaN : (tp + tn) / (tp + fp + fn + tn),
            _ => 2 * tp + fp + fn == 0 ? double.NaN : 2 * tp / (2 * tp + fp + fn),
        };
    }

    private static double BinaryLogLoss(ScoredRows rows, ReadOnlySpan<double> weights)
    {
        const double Epsilon = 1e-15;
        return Mean(rows, weights, (y, p) =>
        {
            var q = Math.Clamp(p, Epsilon, 1 - Epsilon);
            return y > 0.5 ? -Math.Log(q) : -Math.Log(1 - q);
        });
    }

    private static double Multiclass(string metric, ScoredRows rows, ReadOnlySpan<double> weights)
    {
        var k = rows.Classes;
        var predicted = rows.Predicted ?? throw new InvalidOperationException("Multiclass metrics need the predicted classes.");
        var truePositive = new double[k + 1];
        var actual = new double[k + 1];
        var guessed = new double[k + 1];
        double total = 0, correct = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var label = (int)rows.Labels[i];
            if (label <= 0 || label > k)
            {
                continue; // a class training never saw: no model can predict it, as ML.NET's evaluator leaves it out
            }

            var w = Weight(weights, i);
            total += w;
            actual[label] += w;
            if (predicted[i] > 0 && predicted[i] <= k) guessed[predicted[i]] += w;
            if (predicted[i] == label)
            {
                truePositive[label] += w;
                correct += w;
            }
        }

        if (total == 0)
        {
            return double.NaN;
        }

        var present = Enumerable.Range(1, k).Where(c => actual[c] > 0).ToArray();
        return metric switch
        {
            MicroAccuracy or Accuracy => correct / total,
            MacroAccuracy => present.Average(c => truePositive[c] / actual[c]),
            _ => present.Average(c => actual[c] + guessed[c] == 0 ? 0 : 2 * truePositive[c] / (actual[c] + guessed[c])),
        };
    }

    private static double Mean(ScoredRows rows, ReadOnlySpan<double> weights, Func<double, double, double> loss)
    {
        double sum = 0, total = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var w = Weight(weights, i);
            sum += w * loss(rows.Labels[i], rows.Scores[i]);
            total += w;
        }

        return total == 0 ? double.NaN : sum / total;
    }

    private static double CoefficientOfDetermination(ScoredRows rows, ReadOnlySpan<double> weights)
    {
        double total = 0, mean = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var w = Weight(weights, i);
            total += w;
            mean += w * rows.Labels[i];
        }

        if (total == 0)
        {
            return double.NaN;
        }

        mean /= total;
        double residual = 0, spread = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var w = Weight(weights, i);
            residual += w * (rows.Labels[i] - rows.Scores[i]) * (rows.Labels[i] - rows.Scores[i]);
            spread += w * (rows.Labels[i] - mean) * (rows.Labels[i] - mean);
        }

        return spread == 0 ? double.NaN : 1 - residual / spread;
    }
}
