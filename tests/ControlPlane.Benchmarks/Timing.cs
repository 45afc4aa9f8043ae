using System.Diagnostics;

namespace ControlPlane.Benchmarks;

/// <summary>Median and 95th percentile of repeated runs after a warm-up.</summary>
public sealed record Timing(double MedianMs, double P95Ms, int Runs)
{
    /// <summary>One measurement taken once (a long operation, or a figure that is not a time): median and p95 are it.</summary>
    public static Timing Once(double value) => new(value, value, 1);

    public static async Task<Timing> MeasureAsync(Func<Task> operation, int runs = 60, int warmup = 10)
    {
        for (var i = 0; i < warmup; i++)
        {
            await operation();
        }

        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await operation();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return new Timing(samples[runs / 2], samples[(int)Math.Ceiling(runs * 0.95) - 1], runs);
    }
}
