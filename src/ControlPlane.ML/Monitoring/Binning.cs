using System.Globalization;

namespace ControlPlane.ML.Monitoring;

/// <summary>Counting values into a baseline's bins: a binary search over the edges per value, the hot loop of numeric drift.</summary>
internal static class Binning
{
    /// <summary>
    /// Counts per bin (one more than edges: the last bin is above the last edge). NaN and ±∞ are counted as missing:
    /// an infinity is a data error rather than a large value, and keeping it out of baselines keeps their edges
    /// JSON-serializable (System.Text.Json refuses infinities by default).
    /// </summary>
    public static long[] Count(IReadOnlyList<double> edges, ReadOnlySpan<double> values, out long missing)
    {
        var e = edges as double[] ?? [.. edges];
        var counts = new long[e.Length + 1];
        missing = 0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                missing++;
                continue;
            }

            counts[Bin(e, v)]++;
        }

        return counts;
    }

    /// <summary>The first bin whose upper edge is ≥ <paramref name="value"/>, or the overflow bin past the last edge.</summary>
    public static int Bin(double[] edges, double value)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (edges[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Readable labels: "≤ e0", "(e0, e1]", …, "&gt; ek".</summary>
    public static string[] Labels(IReadOnlyList<double> edges)
    {
        var labels = new string[edges.Count + 1];
        for (var i = 0; i < edges.Count; i++)
        {
            labels[i] = i == 0 ? $"≤ {Format(edges[0])}" : $"({Format(edges[i - 1])}, {Format(edges[i])}]";
        }

        labels[^1] = edges.Count == 0 ? "all" : $"> {Format(edges[^1])}";
        return labels;
    }

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
