namespace ControlPlane.Core.DemoData;

/// <summary>
/// Real uploads are not uniformly sparse: enrichment fields and surveys are often empty, system fields rarely,
/// and some records are thin across the board. Keys, times and labels are never touched.
/// </summary>
internal static class DemoMissingValuePlanner
{
    private const double MaxColumnRate = 0.85;
    private const double SparseRowShare = 0.1;
    private const double SparseRowFactor = 3.0;
    private const double DenseRowFactor = (1 - (SparseRowShare * SparseRowFactor)) / (1 - SparseRowShare);

    public static double[] ColumnRates(IReadOnlyList<DemoColumnEncoder> columns, double missingRate, DemoRandom rng)
    {
        var weights = new double[columns.Count];
        var featureCount = 0;
        var total = 0.0;
        for (var i = 0; i < columns.Count; i++)
        {
            var spec = columns[i].Spec;
            if (spec.Role != DemoColumnRole.Feature)
            {
                continue;
            }

            featureCount++;
            var jitter = Math.Exp(rng.Normal(0, 0.35));
            weights[i] = spec.MissingWeight * jitter;
            total += weights[i];
        }

        // Normalize so the average feature column is missing at the configured rate.
        var scale = total > 0 ? featureCount / total : 0;
        return [.. weights.Select(w => Math.Min(MaxColumnRate, missingRate * w * scale))];
    }

    public static void Apply(string?[][] rows, double[] rates, DemoRandom rng)
    {
        if (rates.All(r => r <= 0))
        {
            return;
        }

        foreach (var row in rows)
        {
            var factor = rng.Chance(SparseRowShare) ? SparseRowFactor : DenseRowFactor;
            for (var c = 0; c < rates.Length; c++)
            {
                if (rates[c] > 0 && rng.NextDouble() < Math.Min(0.95, rates[c] * factor))
                {
                    row[c] = null;
                }
            }
        }
    }
}
