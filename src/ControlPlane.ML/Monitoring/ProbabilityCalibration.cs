namespace ControlPlane.ML.Monitoring;

/// <summary>
/// A monotone map from a binary model's probability to the positive rate actually seen at that probability on the test
/// split, fitted by isotonic regression (pool adjacent violators) when the model is trained. The trainers' own
/// calibration (Platt scaling on the training rows for the tree ensembles) is fitted on rows the model has learnt, so on
/// new rows their probabilities tend to be overconfident; confidence-based estimation needs them to be right, so it
/// reads each probability through this map first. Kept small: at most <see cref="MaxPoints"/> points, joined linearly.
/// </summary>
public sealed record ProbabilityCalibration
{
    public const int MaxPoints = 50;

    /// <summary>Mean probability of each block, ascending.</summary>
    public IReadOnlyList<double> Probabilities { get; init; } = [];

    /// <summary>The positive rate of each block on the test split, non-decreasing.</summary>
    public IReadOnlyList<double> Rates { get; init; } = [];

    /// <summary>Test rows the map was fitted on.</summary>
    public int Rows { get; init; }

    /// <summary>The calibrated probability: linear between the points, the end rates beyond them; the identity when the map is empty.</summary>
    public double Apply(double probability)
    {
        var xs = Probabilities;
        var ys = Rates;
        if (xs.Count == 0 || !double.IsFinite(probability)) return probability;
        if (probability <= xs[0]) return ys[0];
        if (probability >= xs[^1]) return ys[^1];
        var hi = 1;
        while (xs[hi] < probability) hi++;
        var lo = hi - 1;
        var span = xs[hi] - xs[lo];
        return span <= 0 ? ys[hi] : ys[lo] + ((probability - xs[lo]) / span * (ys[hi] - ys[lo]));
    }

    /// <summary>Isotonic regression of the labels (0/1) on the probabilities; null with fewer than 2 rows or a single class.</summary>
    public static ProbabilityCalibration? Fit(IReadOnlyList<double> probabilities, IReadOnlyList<double> labels)
    {
        var rows = Enumerable.Range(0, probabilities.Count).Where(i => double.IsFinite(probabilities[i]))
            .Select(i => (P: probabilities[i], Y: labels[i] > 0.5 ? 1.0 : 0.0)).OrderBy(r => r.P).ToArray();
        if (rows.Length < 2 || rows.All(r => r.Y == rows[0].Y)) return null;

        // Pool adjacent violators: blocks of (sum p, sum y, count), merged while a block's rate is below the previous one's.
        var blocks = new List<(double SumP, double SumY, int Count)>();
        foreach (var (p, y) in rows)
        {
            blocks.Add((p, y, 1));
            while (blocks.Count > 1 && blocks[^2].SumY / blocks[^2].Count >= blocks[^1].SumY / blocks[^1].Count)
            {
                var (a, b) = (blocks[^2], blocks[^1]);
                blocks.RemoveRange(blocks.Count - 2, 2);
                blocks.Add((a.SumP + b.SumP, a.SumY + b.SumY, a.Count + b.Count));
            }
        }

        // Too many blocks for a small stored map: merge neighbours of equal size until few enough (still monotone).
        while (blocks.Count > MaxPoints)
        {
            var merged = new List<(double SumP, double SumY, int Count)>();
            for (var i = 0; i < blocks.Count; i += 2)
            {
                merged.Add(i + 1 < blocks.Count
                    ? (blocks[i].SumP + blocks[i + 1].SumP, blocks[i].SumY + blocks[i + 1].SumY, blocks[i].Count + blocks[i + 1].Count)
                    : blocks[i]);
            }

            blocks = merged;
        }

        return new ProbabilityCalibration
        {
            Probabilities = blocks.Select(b => b.SumP / b.Count).ToArray(),
            Rates = blocks.Select(b => b.SumY / b.Count).ToArray(),
            Rows = rows.Length,
        };
    }
}
