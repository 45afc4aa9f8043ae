using System.Diagnostics;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>Samples the process working set on a timer; the ingest's own peak, unlike Process.PeakWorkingSet64.</summary>
internal sealed class PeakMemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakMemorySampler()
    {
        GC.Collect();
        _timer = new Timer(_ => Sample(), null, 0, 10);
    }

    public long Stop()
    {
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        Sample();
        return Interlocked.Read(ref _peak);
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        using var self = Process.GetCurrentProcess();
        var ws = self.WorkingSet64;
        long seen;
        while (ws > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, ws, seen) != seen)
        {
        }
    }
}
