using ControlPlane.Core.Registry;
using ControlPlane.ML;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Registry;

/// <summary>The gate reads the paired comparisons the version's training made on its validation rows.</summary>
public class PromotionGateTests
{
    private const string Champion = "champion-id";

    [Fact]
    public void Without_a_champion_the_challenger_is_promoted()
    {
        var verdict = PromotionGate.Decide(Report([]), ModelComparison.Own, "v1", false, null, null);

        Assert.True(verdict.Promote);
        Assert.Equal("No champion yet: v1 becomes champion.", verdict.Reason);
    }

    [Fact]
    public void A_first_version_its_validation_rows_cannot_measure_waits_for_a_person()
    {
        var unmeasured = Report([]) with
        {
            Validation = new ModelMetrics { Headline = "auc", HeadlineValue = double.NaN, HigherIsBetter = true },
            Test = new ModelMetrics { Headline = "auc", HeadlineValue = double.NaN, HigherIsBetter = true },
        };

        var own = PromotionGate.Decide(unmeasured, ModelComparison.Own, "v1", false, null, null);
        var pooled = PromotionGate.Decide(unmeasured, "pool-id", "pooled v2", true, null, null);

        Assert.False(own.Promote);
        Assert.Equal("No champion yet, but v1 cannot be measured on its 500 validation rows (nor on its test rows: one class among them, or too few): check it and promote it by hand.", own.Reason);
        Assert.True(pooled.Promote);
    }

    [Theory]
    [InlineData(ComparisonVerdict.Better, true, "Better than the champion v3 on the same 500 validation rows: AUC 0.82")]
    [InlineData(ComparisonVerdict.WithinNoise, true, "Within noise of the champion v3 on the same 500 validation rows")]
    [InlineData(ComparisonVerdict.Worse, false, "Worse than the champion v3 beyond noise on the same 500 validation rows")]
    public void The_champion_comparison_decides_by_noise_not_by_a_tolerance(ComparisonVerdict against, bool promote, string because)
    {
        var verdict = PromotionGate.Decide(Report([Versus(Champion, "v3", RivalKinds.Champion, against)]), ModelComparison.Own, "v4", false, Champion, "v3");

        Assert.Equal(promote, verdict.Promote);
        Assert.StartsWith(because, verdict.Reason);
        Assert.Contains("difference +0.02 [", verdict.Reason);
    }

    [Fact]
    public void A_run_of_small_losses_stops_at_the_best_recent_version()
    {
        // Within noise of the champion (itself a small loss), but worse beyond noise than v1, two versions back.
        var report = Report(
        [
            Versus(Champion, "v3", RivalKinds.Champion, ComparisonVerdict.WithinNoise),
            Versus("v2-id", "v2", RivalKinds.Recent, ComparisonVerdict.WithinNoise),
            Versus("v1-id", "v1", RivalKinds.Recent, ComparisonVerdict.Worse),
        ]);

        var verdict = PromotionGate.Decide(report, ModelComparison.Own, "v4", false, Champion, "v3");

        Assert.False(verdict.Promote);
        Assert.Contains("but worse than the recent v1 beyond noise", verdict.Reason);
        Assert.Contains("A run of small losses stops here", verdict.Reason);
    }

    [Fact]
    public void A_suspected_leak_is_never_promoted_automatically_and_the_finding_is_named()
    {
        var leak = new LeakageReport(true,
            [new LeakFinding(LeakChecks.SingleFeature, "closed_reason", 0.99, 0.98, "'closed_reason' alone gives AUC 0.990 on the 500 validation rows (suspect from 0.980): is it known only after the outcome?")],
            [], []);
        var report = Report([Versus(Champion, "v3", RivalKinds.Champion, ComparisonVerdict.Better)]) with { Leakage = leak };

        var withChampion = PromotionGate.Decide(report, ModelComparison.Own, "v4", false, Champion, "v3");
        var first = PromotionGate.Decide(report, ModelComparison.Own, "v1", false, null, null);

        Assert.False(withChampion.Promote);
        Assert.False(first.Promote);
        Assert.StartsWith("Suspected leak, so not promoted automatically: 'closed_reason' alone gives AUC 0.990", first.Reason);
        Assert.EndsWith("promote it by hand with a reason if the feature is known before the outcome.", first.Reason);
    }

    [Fact]
    public void A_pooled_candidate_is_judged_by_its_own_comparisons()
    {
        var report = Report(
        [
            Versus(Champion, "v3", RivalKinds.Champion, ComparisonVerdict.Better),
            new ModelComparison("pool-id", "pooled v2", Champion, "v3", RivalKinds.Champion,
                new PairedDifference("auc", 0.70, 0.78, -0.08, new MetricInterval(-0.12, -0.04), ComparisonVerdict.Worse, 500)),
        ]);

        var verdict = PromotionGate.Decide(report, "pool-id", "pooled v2", true, Champion, "v3");

        Assert.False(verdict.Promote);
        Assert.StartsWith("Worse than the champion v3 beyond noise", verdict.Reason);
    }

    [Theory]
    [InlineData(true, false, true, "cannot be fitted on the current data")]
    [InlineData(false, true, true, "is promoted on its own validation across its tenants")]
    [InlineData(false, false, false, "cannot be measured (one class): compare them and promote by hand")]
    public void An_unmeasured_comparison_promotes_only_where_the_champion_cannot_be_measured_at_all_or_the_pool_vouches(
        bool rivalFailed, bool pooled, bool promote, string because)
    {
        var unmeasured = new ModelComparison(pooled ? "pool-id" : ModelComparison.Own, "x", Champion, "v3", RivalKinds.Champion,
            new PairedDifference("auc", 0.7, double.NaN, double.NaN, null, ComparisonVerdict.Unmeasured, 12), "one class", RivalFailed: rivalFailed);

        var verdict = PromotionGate.Decide(Report([unmeasured]), pooled ? "pool-id" : ModelComparison.Own, pooled ? "pooled v2" : "v4", pooled, Champion, "v3");

        Assert.Equal(promote, verdict.Promote);
        Assert.Contains(because, verdict.Reason);
    }

    [Fact]
    public void A_version_not_compared_with_the_current_champion_stays_challenger()
    {
        var verdict = PromotionGate.Decide(Report([Versus("older", "v2", RivalKinds.Champion, ComparisonVerdict.Better)]), ModelComparison.Own, "v4", false, Champion, "v3");

        Assert.False(verdict.Promote);
        Assert.Contains("was not compared with the champion v3", verdict.Reason);
    }

    private static ModelComparison Versus(string key, string label, string kind, ComparisonVerdict verdict) =>
        new(ModelComparison.Own, "this version", key, label, kind,
            new PairedDifference("auc", 0.82, 0.80, 0.02, verdict switch
            {
                ComparisonVerdict.Better => new MetricInterval(0.005, 0.035),
                ComparisonVerdict.Worse => new MetricInterval(-0.035, -0.005),
                _ => new MetricInterval(-0.01, 0.05),
            }, verdict, 500),
            null, new MetricInterval(0.79, 0.85), new MetricInterval(0.77, 0.83));

    private static ModelReport Report(IReadOnlyList<ModelComparison> comparisons) => new()
    {
        Task = TaskType.Binary, Trainer = TrainerNames.FastTree, Seed = 1, Split = new SplitSummary(true, 1500, 500, null, null) { ValidationRows = 500 },
        Test = new ModelMetrics { Headline = "auc", HeadlineValue = 0.8, HigherIsBetter = true }, PredictionFingerprint = "", Comparisons = comparisons,
    };
}
