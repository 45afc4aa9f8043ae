namespace ControlPlane.ML.Training;

/// <summary>The decision threshold of a binary model, chosen on validation rows.</summary>
public static class Thresholds
{
    /// <summary>
    /// The probability from which a row is predicted positive that gives the best F1 on <paramref name="rows"/> (the
    /// midpoint between two neighbouring distinct scores, the lower one on a tie); 0.5 when no row is positive.
    /// </summary>
    public static double BestF1(ScoredRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        rows = new ScoredRows(rows.Task, rows.Labels, rows.Scores); // ordered by probability: the threshold is one
        var positives = rows.Labels.Count(l => l > 0.5);
        if (positives == 0 || positives == rows.Count)
        {
            return 0.5;
        }

        // Walk the scores from the highest down: predicting positive every row scored at or above each distinct score.: predicting positive every row scored at or above each distinct score.
        var order = rows.Order;
        var ends = rows.TieEnds;
        var starts = new List<int>();
        for (var start = 0; start < order.Length; start = ends[start]) starts.Add(start);
        double truePositives = 0, predicted = 0, bestF1 = -1, best = 0.5;
        for (var g = starts.Count - 1; g >= 0; g--)
        {
            for (var k = starts[g]; k < ends[starts[g]]; k++)
            {
                predicted++;
                if (rows.Labels[order[k]] > 0.5) truePositives++;
            }

            var f1 = 2 * truePositives / (predicted + positives);
            if (f1 > bestF1)
            {
                bestF1 = f1;
                var score = rows.Scores[order[starts[g]]];
                best = g == 0 ? score : (score + rows.Scores[order[starts[g - 1]]]) / 2;
            }
        }

        return best;
    }
}
