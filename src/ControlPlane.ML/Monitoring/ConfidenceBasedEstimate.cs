namespace ControlPlane.ML.Monitoring;

/// <summary>
/// Confidence-based performance estimation (CBPE, as NannyML does it) of a binary model without labels: if the
/// probabilities are calibrated, a row predicted positive with probability p is right with probability p, and one
/// predicted negative with probability 1 − p. Summing these gives the expected confusion matrix at any threshold, so
/// the expected accuracy (at the model's own threshold) and the expected ROC AUC (the area under the expected ROC curve
/// over every threshold). The estimate is only as good as the calibration, and it cannot see concept drift (a change
/// of P(label | inputs)): it answers "how well would the model do if its probabilities were still right".
/// </summary>
public static class ConfidenceBasedEstimate
{
    /// <summary>Mean over rows of p when predicted positive and 1 − p otherwise; NaN for no rows.</summary>
    public static double Accuracy(IReadOnlyList<double> probabilities, IReadOnlyList<bool> predicted)
    {
        if (probabilities.Count != predicted.Count) throw new ArgumentException("Each probability needs its predicted label.");
        if (probabilities.Count == 0) return double.NaN;
        double sum = 0;
        for (var i = 0; i < probabilities.Count; i++)
        {
            sum += predicted[i] ? probabilities[i] : 1 - probabilities[i];
        }

        return sum / probabilities.Count;
    }

    /// <summary>
    /// The area under the expected ROC curve: rows sorted by probability, highest first; lowering the threshold past a
    /// group of equal probabilities adds Σp expected true positives and Σ(1 − p) expected false positives; the points
    /// (FP / ΣN, TP / ΣP) are joined by the trapezoid rule. NaN when no positive or no negative is expected.
    /// </summary>
    public static double Auc(IReadOnlyList<double> probabilities)
    {
        var groups = probabilities.GroupBy(p => p).OrderByDescending(g => g.Key)
            .Select(g => (Positive: g.Sum(), Negative: g.Sum(p => 1 - p))).ToArray();
        return Auc(groups);
    }

    /// <summary>The same from groups of rows already in descending order of probability (e.g. histogram bins).</summary>
    public static double Auc(IReadOnlyList<(double Positive, double Negative)> descending)
    {
        double positives = 0, negatives = 0;
        foreach (var (p, n) in descending)
        {
            positives += p;
            negatives += n;
        }

        if (!(positives > 0) || !(negatives > 0)) return double.NaN;
        double area = 0, tp = 0;
        foreach (var (p, n) in descending)
        {
            area += n * (tp + p / 2);
            tp += p;
        }

        return area / (positives * negatives);
    }
}
