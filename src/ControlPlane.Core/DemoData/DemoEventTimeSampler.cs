namespace ControlPlane.Core.DemoData;

/// <summary>
/// Event times with weekly and daily rhythm in the customers' local time plus business growth,
/// drawn by rejection sampling so any span (even under a day) works.
/// </summary>
internal static class DemoEventTimeSampler
{
    // Indexed by DayOfWeek (Sunday first).
    private static readonly double[] DayWeights = [0.25, 1.0, 1.05, 1.05, 1.0, 0.85, 0.3];

    private static readonly double[] HourWeights =
    [
        0.08, 0.06, 0.05, 0.05, 0.06, 0.1, 0.2, 0.4, 0.75, 1.0, 1.0, 0.95,
        0.8, 0.9, 0.95, 0.9, 0.8, 0.6, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1,
    ];

    public static long[] Sample(DemoRandom rng, int count, DateTime startUtc, DateTime endUtc, int utcOffsetHours, double growth)
    {
        var ticks = new long[count];
        var spanSeconds = (long)(endUtc - startUtc).TotalSeconds;
        var offsetTicks = utcOffsetHours * TimeSpan.TicksPerHour;
        var maxWeight = DayWeights.Max() * HourWeights.Max() * (1 + growth);
        for (var i = 0; i < count;)
        {
            var fraction = rng.NextDouble();
            var candidate = startUtc.Ticks + ((long)(fraction * spanSeconds) * TimeSpan.TicksPerSecond);
            var local = candidate + offsetTicks;
            var day = (int)(((local / TimeSpan.TicksPerDay) + 1) % 7);
            var hour = (int)(local / TimeSpan.TicksPerHour % 24);
            var weight = DayWeights[day] * HourWeights[hour] * (1 + (growth * fraction));
            if (rng.NextDouble() * maxWeight < weight)
            {
                ticks[i++] = candidate;
            }
        }

        Array.Sort(ticks);
        return ticks;
    }
}
