using System.Globalization;

namespace ControlPlane.Core.Monitoring.Sla;

/// <summary>
/// The fixed, log-spaced predict latency buckets every node counts in (ten per decade from 0.1 ms to 10 s, plus one
/// overflow bucket), so one node's counts add to another's, and the percentile math over them.
/// </summary>
public static class LatencyBuckets
{
    /// <summary>Upper bounds (inclusive) in TimeSpan ticks; the bucket after the last bound counts everything slower.</summary>
    private static readonly long[] BoundTicks = Enumerable.Range(0, 51)
        .Select(i => (long)Math.Round(TimeSpan.TicksPerMillisecond * 0.1 * Math.Pow(10, i / 10.0)))
        .ToArray();

    /// <summary>Buckets in all: one per bound and the overflow.</summary>
    public static int Count { get; } = BoundTicks.Length + 1;

    /// <summary>The upper bound of bucket <paramref name="index"/> in milliseconds; infinity for the overflow bucket.</summary>
    public static double UpperMs(int index) =>
        index < BoundTicks.Length ? BoundTicks[index] / (double)TimeSpan.TicksPerMillisecond : double.PositiveInfinity;

    /// <summary>The bucket a latency of <paramref name="ticks"/> falls in: a binary search over the bounds, no floating point.</summary>
    public static int IndexOf(long ticks)
    {
        var index = Array.BinarySearch(BoundTicks, ticks);
        return index >= 0 ? index : ~index;
    }

    /// <summary>
    /// The latency at or below which <paramref name="quantile"/> of the counted requests answered, as the upper bound of
    /// the bucket holding that rank (so a reported p99 is never below the true one); null when nothing was counted.
    /// </summary>
    public static double? Quantile(IReadOnlyList<long> counts, double quantile)
    {
        var total = counts.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return UpperMs(i);
            }
        }

        return UpperMs(counts.Count - 1);
    }

    /// <summary>Adds stored counts (comma-separated) into <paramref name="into"/>; a stored row with fewer buckets adds what it has.</summary>
    public static void Add(long[] into, string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return;
        }

        var i = 0;
        foreach (var part in stored.Split(','))
        {
            if (i < into.Length && long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                into[i] += n;
            }

            i++;
        }
    }

    public static string Format(long[] counts) => string.Join(',', counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));
}
