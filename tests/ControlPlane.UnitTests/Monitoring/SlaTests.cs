using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.Sla;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>The latency buckets' math, the recorder's drain, and the three SLA rules on known figures.</summary>
public sealed class SlaTests
{
    private static readonly DateTime Day = new(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Buckets_are_ten_per_decade_from_a_tenth_of_a_millisecond_to_ten_seconds_plus_an_overflow()
    {
        Assert.Equal(52, LatencyBuckets.Count);
        Assert.Equal(0.1, LatencyBuckets.UpperMs(0), 6);
        Assert.Equal(1, LatencyBuckets.UpperMs(10), 6);
        Assert.Equal(10_000, LatencyBuckets.UpperMs(50), 6);
        Assert.Equal(double.PositiveInfinity, LatencyBuckets.UpperMs(51));

        Assert.Equal(0, LatencyBuckets.IndexOf(0));
        Assert.Equal(10, LatencyBuckets.IndexOf(TimeSpan.FromMilliseconds(1).Ticks)); // a bound is inclusive
        Assert.Equal(11, LatencyBuckets.IndexOf(TimeSpan.FromMilliseconds(1).Ticks + 1));
        Assert.Equal(51, LatencyBuckets.IndexOf(TimeSpan.FromSeconds(11).Ticks));
    }

    [Fact]
    public void P99_is_the_upper_bound_of_the_bucket_holding_the_99th_percentile_rank()
    {
        var counts = new long[LatencyBuckets.Count];
        counts[10] = 980; // ≤ 1 ms
        counts[20] = 10;  // ≤ 10 ms
        counts[30] = 10;  // ≤ 100 ms

        // Rank ⌈0.99 × 1000⌉ = 990 is the last request of the 10 ms bucket; 991 would be in the 100 ms one.
        Assert.Equal(10, LatencyBuckets.Quantile(counts, 0.99)!.Value, 6);
        Assert.Equal(1, LatencyBuckets.Quantile(counts, 0.5)!.Value, 6);
        Assert.Equal(100, LatencyBuckets.Quantile(counts, 1)!.Value, 6);
        Assert.Null(LatencyBuckets.Quantile(new long[LatencyBuckets.Count], 0.99));
    }

    [Fact]
    public void Nodes_buckets_merge_by_adding_their_stored_counts()
    {
        var merged = new long[LatencyBuckets.Count];
        LatencyBuckets.Add(merged, "1,2,3");
        LatencyBuckets.Add(merged, LatencyBuckets.Format([4, 5, 6, 7]));

        Assert.Equal([5L, 7, 9, 7], merged.Take(4));
        Assert.Equal(28, merged.Sum());
    }

    [Fact]
    public void The_recorder_counts_per_enrollment_and_a_drain_takes_the_counts_once()
    {
        var recorder = new PredictLatencyRecorder();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        Parallel.For(0, 1000, i => recorder.Record(i % 2 == 0 ? a : b, TimeSpan.FromMilliseconds(2)));

        var drained = recorder.Drain().ToDictionary(d => d.EnrollmentId, d => d.Counts);

        Assert.Equal(500, drained[a][LatencyBuckets.IndexOf(TimeSpan.FromMilliseconds(2).Ticks)]);
        Assert.Equal(500, drained[b].Sum());
        Assert.Empty(recorder.Drain());
        recorder.Restore(a, drained[a]);
        Assert.Equal(500, recorder.Drain().Single().Counts.Sum());
    }

    [Fact]
    public void Model_age_is_judged_against_the_maximum_and_not_without_a_champion()
    {
        var verdict = SlaJudge.ModelAge(30, Day.AddDays(-41), Day.AddHours(12));

        Assert.NotNull(verdict);
        Assert.False(verdict.Met);
        Assert.Equal("model 41 days old (max 30)", verdict.Note);
        Assert.True(SlaJudge.ModelAge(30, Day.AddDays(-30), Day)!.Met);
        Assert.Null(SlaJudge.ModelAge(30, null, Day));
        Assert.Null(SlaJudge.ModelAge(null, Day, Day));
    }

    [Fact]
    public void Batch_deadline_is_judged_only_once_it_has_passed()
    {
        var deadline = 6 * 60;

        Assert.Null(SlaJudge.BatchDeadline(deadline, Day, null, Day.AddHours(5)));
        var missed = SlaJudge.BatchDeadline(deadline, Day, null, Day.AddHours(7));
        var late = SlaJudge.BatchDeadline(deadline, Day, Day.AddHours(7).AddMinutes(12), Day.AddHours(8));
        var met = SlaJudge.BatchDeadline(deadline, Day, Day.AddHours(5).AddMinutes(30), Day.AddHours(8));

        Assert.Equal((false, "no batch score by 06:00"), (missed!.Met, missed.Note));
        Assert.Equal((false, 432.0, "batch ready at 07:12 (deadline 06:00)"), (late!.Met, late.Measured, late.Note));
        Assert.Equal((true, 330.0), (met!.Met, met.Measured));
        Assert.Null(SlaJudge.BatchDeadline(null, Day, null, Day.AddDays(2)));
    }

    [Fact]
    public void Predict_p99_is_judged_against_the_budget_and_a_day_without_predictions_is_not_judged()
    {
        var counts = new long[LatencyBuckets.Count];
        counts[LatencyBuckets.IndexOf(TimeSpan.FromMilliseconds(120).Ticks)] = 100;

        var verdict = SlaJudge.PredictP99(50, counts);

        Assert.NotNull(verdict);
        Assert.False(verdict.Met);
        Assert.Equal(SlaKinds.PredictLatency, verdict.Kind);
        Assert.StartsWith("predict p99 125.89 ms (budget 50 ms) over 100 requests", verdict.Note);
        Assert.True(SlaJudge.PredictP99(200, counts)!.Met);
        Assert.Null(SlaJudge.PredictP99(50, new long[LatencyBuckets.Count]));
    }

    [Fact]
    public void Adherence_counts_judged_days_only_and_lists_the_misses_newest_first()
    {
        var first = new DateOnly(2026, 11, 1);
        SlaDay[] strip = [new(first, true, "ok"), new(first.AddDays(1), null, null), new(first.AddDays(2), false, "late"), new(first.AddDays(3), false, "later")];

        var adherence = SlaAdherenceService.Of(SlaKinds.BatchDeadline, strip);

        Assert.Equal((1, 3), (adherence.Met, adherence.Judged));
        Assert.Equal(100.0 / 3, adherence.Percent!.Value, 6);
        Assert.Equal(["later", "late"], adherence.Misses.Select(m => m.Note));
        Assert.Null(SlaAdherenceService.Of(SlaKinds.ModelAge, [new(first, null, null)]).Percent);
    }
}
