namespace ControlPlane.ML.Monitoring;

/// <summary>The plain formulas behind drift, on shares, counts or samples: for tests and reuse.</summary>
public static class DriftStatistics
{
    /// <summary>
    /// A share of 0 is replaced by this in PSI: ln(0) is undefined, and a bin the training data never filled (values
    /// beyond its range, unseen categories) is exactly the change PSI should show. 1e-4 (as Evidently uses) makes a bin
    /// that goes from empty to 10 % of the window contribute 0.1 · ln(1000) ≈ 0.69 — drift on its own — while a bin
    /// empty on both sides contributes nothing.
    /// </summary>
    public const double PsiEpsilon = 1e-4;

    /// <summary>Population stability index Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over shares, empty bins as <see cref="PsiEpsilon"/>.</summary>
    public static double Psi(IReadOnlyList<double> expectedShares, IReadOnlyList<double> actualShares)
    {
        ArgumentNullException.ThrowIfNull(expectedShares);
        ArgumentNullException.ThrowIfNull(actualShares);
        if (expectedShares.Count != actualShares.Count)
        {
            throw new ArgumentException($"actualShares has {actualShares.Count} bins, expectedShares {expectedShares.Count}", nameof(actualShares));
        }

        var psi = 0.0;
        for (var i = 0; i < expectedShares.Count; i++)
        {
            var e = Math.Max(expectedShares[i], PsiEpsilon);
            var a = Math.Max(actualShares[i], PsiEpsilon);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    /// <summary>
    /// Exact two-sample Kolmogorov–Smirnov D = sup |F_a − F_b| (NaN values ignored), with the asymptotic p-value
    /// Q_KS(√n_e · D), n_e = n·m/(n+m).
    /// </summary>
    public static (double D, double PValue) KolmogorovSmirnov(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var x = Sorted(a);
        var y = Sorted(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return (0, 1);
        }

        int i = 0, j = 0;
        var d = 0.0;
        while (i < x.Length && j < y.Length)
        {
            var v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] <= v)
            {
                i++;
            }

            while (j < y.Length && y[j] <= v)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs((double)i / x.Length - (double)j / y.Length));
        }

        return (d, KolmogorovPValue(d, x.Length, y.Length));
    }

    /// <summary>
    /// Kolmogorov–Smirnov on binned counts (bins as in <see cref="FeatureBaseline.Edges"/>: one more count than edges):
    /// the CDFs compared at every edge. Values inside a bin are not told apart, so D is at most the exact D — a
    /// conservative test, which is what a baseline that keeps only bins allows.
    /// </summary>
    public static (double D, double PValue) KolmogorovSmirnovBinned(IReadOnlyList<double> edges, IReadOnlyList<long> baselineCounts, IReadOnlyList<long> currentCounts)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(baselineCounts);
        ArgumentNullException.ThrowIfNull(currentCounts);
        if (baselineCounts.Count != currentCounts.Count || (baselineCounts.Count != edges.Count + 1 && baselineCounts.Count != edges.Count))
        {
            throw new ArgumentException($"currentCounts and baselineCounts must have one count per bin ({edges.Count + 1} for {edges.Count} edges)", nameof(currentCounts));
        }

        long n = 0, m = 0;
        for (var i = 0; i < baselineCounts.Count; i++)
        {
            n += baselineCounts[i];
            m += currentCounts[i];
        }

        if (n == 0 || m == 0)
        {
            return (0, 1);
        }

        long cumN = 0, cumM = 0;
        var d = 0.0;
        for (var i = 0; i < baselineCounts.Count; i++)
        {
            cumN += baselineCounts[i];
            cumM += currentCounts[i];
            d = Math.Max(d, Math.Abs((double)cumN / n - (double)cumM / m));
        }

        return (d, KolmogorovPValue(d, n, m));
    }

    /// <summary>
    /// Chi-square goodness of fit of <paramref name="observedCounts"/> against the distribution of
    /// <paramref name="expectedCounts"/> (scaled to the observed total). Cells whose scaled expectation is below 5 are
    /// pooled, smallest first, until every cell expects at least 5 — the usual condition for the chi-square
    /// approximation; a cell expecting 0 (an unseen category) always ends up pooled. df = cells after pooling − 1;
    /// with fewer than two cells left there is nothing to test and the answer is (0, 0, 1).
    /// </summary>
    public static (double ChiSquare, int DegreesOfFreedom, double PValue) ChiSquare(IReadOnlyList<long> expectedCounts, IReadOnlyList<long> observedCounts)
    {
        ArgumentNullException.ThrowIfNull(expectedCounts);
        ArgumentNullException.ThrowIfNull(observedCounts);
        if (expectedCounts.Count != observedCounts.Count)
        {
            throw new ArgumentException($"observedCounts has {observedCounts.Count} cells, expectedCounts {expectedCounts.Count}", nameof(observedCounts));
        }

        double totalExpected = 0, totalObserved = 0;
        for (var i = 0; i < expectedCounts.Count; i++)
        {
            totalExpected += expectedCounts[i];
            totalObserved += observedCounts[i];
        }

        if (totalExpected == 0 || totalObserved == 0)
        {
            return (0, 0, 1);
        }

        var scale = totalObserved / totalExpected;
        var order = Enumerable.Range(0, expectedCounts.Count).OrderBy(i => expectedCounts[i]).ThenBy(i => i).ToArray();
        double pooledExpected = 0, pooledObserved = 0;
        var pooledCells = 0;
        var chi = 0.0;
        var cells = 0;
        foreach (var i in order)
        {
            var e = expectedCounts[i] * scale;
            if ((pooledCells > 0 && pooledExpected < 5) || e < 5)
            {
                pooledExpected += e;
                pooledObserved += observedCounts[i];
                pooledCells++;
                continue;
            }

            chi += Square(observedCounts[i] - e) / e;
            cells++;
        }

        if (pooledCells > 0)
        {
            if (pooledExpected > 0)
            {
                chi += Square(pooledObserved - pooledExpected) / pooledExpected;
                cells++;
            }
            else if (pooledObserved > 0)
            {
                // Only cells the baseline never had, and no room to pool them with a seen one: no finite statistic.
                return (double.PositiveInfinity, Math.Max(cells, 1), 0);
            }
        }

        var df = cells - 1;
        return df < 1 ? (0, 0, 1) : (chi, df, SpecialFunctions.RegularizedUpperGamma(df / 2.0, chi / 2));
    }

    /// <summary>The asymptotic KS p-value Q_KS(√n_e · D) with n_e = n·m/(n+m).</summary>
    public static double KolmogorovPValue(double d, long n, long m)
    {
        if (n <= 0 || m <= 0)
        {
            return 1;
        }

        var effective = (double)n * m / (n + m);
        return SpecialFunctions.KolmogorovSurvival(Math.Sqrt(effective) * d);
    }

    /// <summary>The chi-square distribution's survival P(X ≥ x) for <paramref name="degreesOfFreedom"/> = Q(df/2, x/2).</summary>
    public static double ChiSquareSurvival(double x, int degreesOfFreedom) =>
        SpecialFunctions.RegularizedUpperGamma(degreesOfFreedom / 2.0, x / 2);

    /// <summary>
    /// Holm's step-down adjustment of p-values tested together (the features of one window): the smallest is multiplied
    /// by their number, the next by one less, and so on, each at least the one before; at a level α the adjusted values
    /// flag a feature with at most α chance of any false flag among them all. NaN (no test ran) stays NaN and is not counted.
    /// </summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var tested = Enumerable.Range(0, pValues.Count).Where(i => !double.IsNaN(pValues[i])).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = pValues.ToArray();
        var running = 0.0;
        for (var rank = 0; rank < tested.Length; rank++)
        {
            var i = tested[rank];
            running = Math.Max(running, Math.Min(1, pValues[i] * (tested.Length - rank)));
            adjusted[i] = running;
        }

        return adjusted;
    }

    /// <summary>Each count's share of their total (all zeros when the total is zero).</summary>
    internal static double[] Shares<T>(IReadOnlyList<T> counts) where T : System.Numerics.INumber<T>
    {
        var total = 0.0;
        foreach (var count in counts)
        {
            total += double.CreateChecked(count);
        }

        var shares = new double[counts.Count];
        for (var i = 0; i < shares.Length && total > 0; i++)
        {
            shares[i] = double.CreateChecked(counts[i]) / total;
        }

        return shares;
    }

    private static double Square(double v) => v * v;

    private static double[] Sorted(ReadOnlySpan<double> values)
    {
        var list = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                list.Add(v);
            }
        }

        var array = list.ToArray();
        Array.Sort(array);
        return array;
    }
}
