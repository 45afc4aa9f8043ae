namespace ControlPlane.ML.Training;

/// <summary>ROC, precision-recall and reliability curves from labels and probabilities, and even downsampling of point lists.</summary>
public static class Curves
{
    /// <summary>(false-positive rate, true-positive rate) at every distinct threshold, from (0,0) to (1,1).</summary>
    public static IReadOnlyList<CurvePoint> Roc(IReadOnlyList<double> labels, IReadOnlyList<double> scores, int maxPoints) =>
        Sample(Sweep(labels, scores, (tp, fp, p, n) => new CurvePoint(n == 0 ? 0 : fp / n, p == 0 ? 0 : tp / p), true), maxPoints);

    /// <summary>(recall, precision) at every distinct threshold, from the strictest to accepting every row.</summary>
    public static IReadOnlyList<CurvePoint> PrecisionRecall(IReadOnlyList<double> labels, IReadOnlyList<double> scores, int maxPoints) =>
        Sample(Sweep(labels, scores, (tp, fp, p, _) => new CurvePoint(p == 0 ? 0 : tp / p, tp + fp == 0 ? 1 : tp / (tp + fp)), false), maxPoints);

    /// <summary>
    /// The reliability diagram: rows in <paramref name="bins"/> bins of equal size by predicted probability, each bin's
    /// mean probability against the share of positives in it; empty without rows.
    /// </summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<double> labels, IReadOnlyList<double> probabilities, int bins = 10)
    {
        var order = Enumerable.Range(0, labels.Count).OrderBy(i => probabilities[i]).ThenBy(i => i).ToArray();
        bins = Math.Min(bins, order.Length);
        return Enumerable.Range(0, bins).Select(b =>
        {
            var members = order[(order.Length * b / bins)..(order.Length * (b + 1) / bins)];
            return new ReliabilityBin(members.Average(i => probabilities[i]), members.Average(i => labels[i] > 0.5 ? 1.0 : 0.0), members.Length);
        }).ToArray();
    }

    /// <summary>At most <paramref name="maxPoints"/> points evenly spread over the list, keeping the first and the last.</summary>
    public static IReadOnlyList<CurvePoint> Sample(IReadOnlyList<CurvePoint> points, int maxPoints)
    {
        if (points.Count <= maxPoints)
        {
            return points;
        }

        return Enumerable.Range(0, maxPoints)
            .Select(k => points[(int)Math.Round(k * (points.Count - 1) / (double)(maxPoints - 1))])
            .ToArray();
    }

    private static List<CurvePoint> Sweep(IReadOnlyList<double> labels, IReadOnlyList<double> scores,
        Func<double, double, double, double, CurvePoint> point, bool startAtOrigin)
    {
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        double positives = labels.Count(l => l > 0.5), negatives = labels.Count - positives;
        double tp = 0, fp = 0;
        var points = new List<CurvePoint>();
        if (startAtOrigin)
        {
            points.Add(new CurvePoint(0, 0));
        }

        for (var k = 0; k < order.Length; k++)
        {
            if (labels[order[k]] > 0.5) tp++; else fp++;
            if (k == order.Length - 1 || scores[order[k + 1]] != scores[order[k]])
            {
                points.Add(point(tp, fp, positives, negatives));
            }
        }

        return points;
    }
}
