namespace ControlPlane.ML.Monitoring;

/// <summary>
/// A PSI measured on samples, with what sampling adds to it taken out. <see cref="Raw"/> is the textbook PSI of the
/// two histograms; on a small window it is inflated by noise alone (about (bins − 1) · (1/n + 1/N): 0.19 for 100 rows
/// over 20 bins, near the drift line). <see cref="Value"/> is the raw PSI less that bias, and <see cref="Low"/> –
/// <see cref="High"/> its 90 % interval, both from a parametric bootstrap of the two histograms' counts (decision 0045).
/// </summary>
public sealed record PsiEstimate(double Raw, double Value, double Low, double High)
{
    /// <summary>Resamples per estimate: enough for the 5th and 95th percentiles to settle to about ±0.01 of PSI.</summary>
    public const int Resamples = 400;

    /// <summary>
    /// The estimate for two histograms of counts over the same bins. Each resample draws every bin's count again
    /// (Poisson around the observed count, normal from 10), so both the window and the baseline carry their sampling
    /// error; the seed comes from the counts, so the same window always gets the same interval.
    /// </summary>
    public static PsiEstimate Of(IReadOnlyList<long> baselineCounts, IReadOnlyList<long> currentCounts)
    {
        ArgumentNullException.ThrowIfNull(baselineCounts);
        ArgumentNullException.ThrowIfNull(currentCounts);
        var raw = DriftStatistics.Psi(DriftStatistics.Shares(baselineCounts), DriftStatistics.Shares(currentCounts));
        var random = new SplitMix(Seed(baselineCounts, currentCounts));
        var draws = new double[Resamples];
        var b = new double[baselineCounts.Count];
        var c = new double[currentCounts.Count];
        for (var r = 0; r < Resamples; r++)
        {
            for (var i = 0; i < b.Length; i++)
            {
                b[i] = Draw(ref random, baselineCounts[i]);
                c[i] = Draw(ref random, currentCounts[i]);
            }

            draws[r] = DriftStatistics.Psi(DriftStatistics.Shares(b), DriftStatistics.Shares(c));
        }

        Array.Sort(draws);
        var bias = draws.Average() - raw;
        // The basic bootstrap interval: where the resamples fall around the raw PSI, reflected around it and less the bias.
        var low = Math.Max(0, 2 * raw - Percentile(draws, 0.95));
        var high = Math.Max(0, 2 * raw - Percentile(draws, 0.05));
        var value = Math.Clamp(raw - bias, low, Math.Max(low, high));
        return new PsiEstimate(raw, value, low, Math.Max(high, value));
    }

    /// <summary>A count drawn again: Poisson around it (Knuth's method) below 10, its normal approximation above.</summary>
    private static double Draw(ref SplitMix random, long count)
    {
        if (count <= 0)
        {
            return 0;
        }

        if (count >= 10)
        {
            return Math.Max(0, count + Math.Sqrt(count) * random.NextNormal());
        }

        var limit = Math.Exp(-count);
        var k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }

    /// <summary>SplitMix64: fast, seeded, the same sequence on every platform and .NET version.</summary>
    private struct SplitMix(ulong state)
    {
        private double _spare = double.NaN;

        public double NextDouble()
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }

        /// <summary>A standard normal (Box–Muller, two per pair of uniforms).</summary>
        public double NextNormal()
        {
            if (!double.IsNaN(_spare))
            {
                var spare = _spare;
                _spare = double.NaN;
                return spare;
            }

            var radius = Math.Sqrt(-2 * Math.Log(1 - NextDouble()));
            var angle = 2 * Math.PI * NextDouble();
            _spare = radius * Math.Sin(angle);
            return radius * Math.Cos(angle);
        }
    }

    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static ulong Seed(IReadOnlyList<long> a, IReadOnlyList<long> b)
    {
        var hash = 1469598103934665603UL;
        foreach (var value in a.Concat([-1L]).Concat(b))
        {
            hash = (hash ^ (ulong)value) * 1099511628211UL;
        }

        return hash;
    }
}
