using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.ML.Monitoring;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>Daily windows: a small day is widened back until it has enough rows, up to the policy's length; the baseline is the version with most rows.</summary>
public sealed class DriftWindowPlanTests
{
    private static readonly Guid V1 = Guid.NewGuid(), V2 = Guid.NewGuid();
    private static readonly DateTime D0 = new(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);

    private static DriftSample Sample(params (int Day, int Rows, Guid Version)[] days)
    {
        var map = new Dictionary<DateTime, DriftDay>();
        var row = 0;
        foreach (var (day, rows, version) in days)
        {
            var d = map[D0.AddDays(day)] = new DriftDay();
            for (var i = 0; i < rows; i++, row++)
            {
                d.Rows.Add(row);
                d.Scored(version, 0.5, null);
            }
        }

        return new DriftSample(new RawTable([]), map, D0.AddDays(days.Max(d => d.Day)).AddHours(5), null);
    }

    [Fact]
    public void A_day_with_enough_rows_is_its_own_window_and_a_small_one_is_widened_back_up_to_the_maximum()
    {
        var plan = DriftWindowPlan.Plan(Sample((0, 120, V1), (1, 40, V1), (2, 30, V2), (5, 10, V2)), minRows: 100, maxWindowDays: 3);

        Assert.Equal([D0, D0.AddDays(1), D0.AddDays(2), D0.AddDays(5)], plan.Select(w => w.Day));
        Assert.Equal((D0, 120), (plan[0].Start, plan[0].Rows.Length));
        Assert.Equal((D0, 160), (plan[1].Start, plan[1].Rows.Length));
        // Day 2: 30 + 40 + 120 rows over three days; v1 scored most of them, so its baselines are used.
        Assert.Equal((D0, 190, V1), (plan[2].Start, plan[2].Rows.Length, plan[2].VersionId));
        // Day 5: three days back hold only its own 10 rows; the window is as wide as allowed and stays small.
        Assert.Equal((D0.AddDays(3), 10, V2), (plan[3].Start, plan[3].Rows.Length, plan[3].VersionId));
        Assert.Equal(plan[3].Rows.Length, plan[3].Scores.Length);
    }

    [Fact]
    public void Asked_for_some_days_the_plan_has_only_their_windows_still_widened_over_the_others()
    {
        var plan = DriftWindowPlan.Plan(Sample((0, 120, V1), (1, 40, V1), (2, 30, V2), (5, 10, V2)), minRows: 100, maxWindowDays: 3,
            only: new HashSet<DateTime> { D0.AddDays(2), D0.AddDays(4) });

        Assert.Equal([D0.AddDays(2)], plan.Select(w => w.Day)); // day 4 has no rows
        Assert.Equal((D0, 190), (plan[0].Start, plan[0].Rows.Length));
    }

    [Fact]
    public void Only_the_last_ninety_days_up_to_the_newest_scored_day_are_windows()
    {
        var plan = DriftWindowPlan.Plan(Sample((0, 200, V1), (95, 200, V1)), minRows: 100, maxWindowDays: 30);
        Assert.Equal([D0.AddDays(95)], plan.Select(w => w.Day));
        Assert.Empty(DriftWindowPlan.Plan(DriftSample.Empty("nothing"), 100, 30));
    }

    private static FeatureDrift Feature(DriftStatus status) => new("f", BaselineKind.Number, 100, 0, 0.1, null, null, null, status, null, [], [], []);

    [Theory]
    [InlineData("drift", DriftStatus.Drift, DriftStatus.Ok, DriftStatus.Ok)]
    [InlineData("warning", DriftStatus.Drift, DriftStatus.Ok, DriftStatus.Ok, DriftStatus.Ok)]
    [InlineData("ok", DriftStatus.Ok, DriftStatus.Ok, DriftStatus.NoData)]
    [InlineData("skipped", DriftStatus.Skipped, DriftStatus.NoData)]
    [InlineData("no_data", DriftStatus.NoData, DriftStatus.NoData)]
    public void The_dataset_drifts_at_the_share_and_otherwise_takes_the_worst_judged_status(string expected, params DriftStatus[] features) =>
        Assert.Equal(expected, DriftChecks.DatasetStatus(features.Select(Feature).ToArray(), null, new DriftThresholds { DatasetDriftShare = 0.3 }));
}
