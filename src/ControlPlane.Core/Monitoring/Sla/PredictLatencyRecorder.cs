using System.Collections.Concurrent;

namespace ControlPlane.Core.Monitoring.Sla;

/// <summary>
/// This node's predict latencies per enrollment since the last flush, as bucket counters. Recording is on the predict
/// hot path: a lock-free dictionary read and one <see cref="Interlocked.Increment(ref long)"/>, no allocation (an
/// enrollment's counter array is allocated the first time it is seen). <see cref="LatencyFlusher"/> drains the counters
/// into the database.
/// </summary>
public sealed class PredictLatencyRecorder
{
    private readonly ConcurrentDictionary<Guid, long[]> _counters = new();

    public void Record(Guid enrollmentId, TimeSpan elapsed)
    {
        if (!_counters.TryGetValue(enrollmentId, out var counts))
        {
            counts = _counters.GetOrAdd(enrollmentId, _ => new long[LatencyBuckets.Count]);
        }

        Interlocked.Increment(ref counts[LatencyBuckets.IndexOf(elapsed.Ticks)]);
    }

    /// <summary>Takes every enrollment's counts since the last drain (zeroing them); enrollments with none are left out.</summary>
    public IReadOnlyList<(Guid EnrollmentId, long[] Counts)> Drain()
    {
        var drained = new List<(Guid, long[])>();
        foreach (var (id, counts) in _counters)
        {
            var taken = new long[counts.Length];
            var any = false;
            for (var i = 0; i < counts.Length; i++)
            {
                taken[i] = Interlocked.Exchange(ref counts[i], 0);
                any |= taken[i] != 0;
            }

            if (any)
            {
                drained.Add((id, taken));
            }
        }

        return drained;
    }

    /// <summary>Puts counts back that could not be stored, so the next flush carries them.</summary>
    public void Restore(Guid enrollmentId, long[] taken)
    {
        var counts = _counters.GetOrAdd(enrollmentId, _ => new long[LatencyBuckets.Count]);
        for (var i = 0; i < taken.Length && i < counts.Length; i++)
        {
            Interlocked.Add(ref counts[i], taken[i]);
        }
    }
}
