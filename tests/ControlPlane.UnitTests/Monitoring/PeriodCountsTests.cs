using ControlPlane.Core.Monitoring.Fleet;
using ControlPlane.ML.Monitoring;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>
/// Days counted into the baseline's bins and added up compare exactly as the period's rows compared at once (decision
/// 0047); another period's counts serve as the reference; and which inputs make a fleet-wide shift (decision 0046).
/// </summary>
public sealed class PeriodCountsTests
{
    private static readonly DriftThresholds Thresholds = new();

    [Fact]
    public void Days_added_up_give_the_same_figures_as_the_rows_compared_at_once()
    {
        var random = new Random(7);
        var training = Enumerable.Range(0, 5000).Select(_ => random.NextDouble() * 10).ToArray();
        var number = Baselines.Number("seats", training);
        var plans = new[] { "basic", "pro", "team", null };
        var category = Baselines.Category("plan", Enumerable.Range(0, 5000).Select(i => plans[i % 3]));
        var days = Enumerable.Range(0, 7).Select(d => Enumerable.Range(0, 300).Select(_ => (random.NextDouble() * 10) + (d * 0.4)).ToArray()).ToList();
        var dayPlans = Enumerable.Range(0, 7).Select(d => Enumerable.Range(0, 300).Select(i => i % 11 == 0 ? "enterprise" : plans[(i + d) % 4]).ToArray()).ToList();

        var whole = Drift.Number(number, days.SelectMany(d => d).ToArray(), Thresholds);
        var added = Drift.Compare(number, null, BinCounts.Sum(days.Select(d => Drift.CountNumbers(number, d))), Thresholds);
        Assert.Equal((whole.Psi, whole.PValue, whole.Status, whole.Rows, whole.Missing), (added.Psi, added.PValue, added.Status, added.Rows, added.Missing));
        Assert.Equal(whole.CurrentShares, added.CurrentShares);
        Assert.Equal(DriftStatus.Drift, added.Status);

        var wholePlan = Drift.Category(category, dayPlans.SelectMany(d => d), Thresholds);
        var addedPlan = Drift.Compare(category, null, BinCounts.Sum(dayPlans.Select(d => Drift.CountTexts(category, d))), Thresholds);
        Assert.Equal((wholePlan.Psi, wholePlan.PValue, wholePlan.Status, wholePlan.Missing), (addedPlan.Psi, addedPlan.PValue, addedPlan.Status, addedPlan.Missing));
        Assert.Equal(wholePlan.Bins, addedPlan.Bins);
        Assert.True(addedPlan.CurrentShares[^1] > 0, "the unseen category is counted in its own bin");
    }

    [Fact]
    public void A_period_is_compared_with_another_period_in_the_same_bins()
    {
        var random = new Random(3);
        var number = Baselines.Number("seats", Enumerable.Range(0, 5000).Select(_ => random.NextDouble() * 10).ToArray());
        BinCounts Period(double shift) => Drift.CountNumbers(number, Enumerable.Range(0, 4000).Select(_ => (random.NextDouble() * 10) + shift).ToArray());
        var january = Period(3);
        Assert.Equal(DriftStatus.Ok, Drift.Compare(number, january, Period(3), Thresholds).Status);
        Assert.Equal(DriftStatus.Drift, Drift.Compare(number, null, Period(3), Thresholds).Status); // both moved away from training
        Assert.Equal(DriftStatus.Drift, Drift.Compare(number, january, Period(0), Thresholds).Status);
        Assert.Throws<ArgumentException>(() => Drift.Compare(number, new BinCounts(10, 0, [10]), january, Thresholds));
    }

    [Fact]
    public void A_fleet_wide_shift_needs_enough_tenants_in_the_same_window()
    {
        var day = new DateTime(2026, 11, 10, 0, 0, 0, DateTimeKind.Utc);
        DriftingTenant Tenant(int i, string features, int daysBefore = 0) =>
            new(Guid.NewGuid(), $"t{i}", features.Split(','), day.AddDays(-daysBefore), day.AddDays(-daysBefore - 1));
        var drifting = Enumerable.Range(0, 6).Select(i => Tenant(i, "plan")).Append(Tenant(6, "seats")).Append(Tenant(7, "seats,plan"))
            .Append(Tenant(8, "plan", daysBefore: 10)).ToList();

        var shift = Assert.Single(FleetDrift.Shifts(drifting, judged: 60, minTenants: 3, share: 0.1));
        Assert.Equal("plan", shift.Feature);
        Assert.Equal(7, shift.Tenants.Count); // the tenant whose newest window is ten days older does not count
        Assert.Equal(day.AddDays(-1), shift.Since);
        Assert.Empty(FleetDrift.Shifts(drifting, judged: 100, minTenants: 3, share: 0.1)); // 7 of 100 is under 10 %
        Assert.Equal(["plan", "seats"], FleetDrift.Shifts(drifting, judged: 20, minTenants: 2, share: 0.1).Select(s => s.Feature));
        Assert.Equal("Fleet drift: 7 of 60 tenants of churn-risk drift on plan", FleetDrift.Title("churn-risk", shift));
        Assert.StartsWith("7 of 60 tenants drift on plan since Monday 2026-11-09 — likely an upstream change", FleetDrift.Message(shift), StringComparison.Ordinal);
    }
}
