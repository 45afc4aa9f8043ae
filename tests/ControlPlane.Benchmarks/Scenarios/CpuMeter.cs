using System.Diagnostics;
using System.Globalization;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// CPU used over a stretch of wall time, in cores: by this process, and by everything else on the machine (from
/// <c>/proc/stat</c> on Linux; zero elsewhere), to tell whether the benchmark had the cores to itself.
/// </summary>
public sealed class CpuMeter
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double _machine = MachineBusySeconds();

    /// <summary>CPU seconds since the meter was made: wall time, this process's, and the rest of the machine's.</summary>
    public sealed record Use(double WallSeconds, double ProcessSeconds, double OthersSeconds)
    {
        public double ProcessCores => ProcessSeconds / WallSeconds;
        public double OtherCores => OthersSeconds / WallSeconds;
    }

    public Use Read()
    {
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds;
        var machine = MachineBusySeconds() - _machine;
        return new Use(Stopwatch.GetElapsedTime(_start).TotalSeconds, process, Math.Max(0, machine - process));
    }

    /// <summary>Busy CPU seconds of all cores since boot: the first line of /proc/stat less idle and iowait, in USER_HZ (100 a second).</summary>
    private static double MachineBusySeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / 100.0;
    }
}
