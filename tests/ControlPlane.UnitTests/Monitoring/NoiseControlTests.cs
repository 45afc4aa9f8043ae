using ControlPlane.ML.Monitoring;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>Decision 0045: PSI corrected for sampling with an interval, features of a window tested together (Holm).</summary>
public sealed class NoiseControlTests
{
    private static readonly DriftThresholds Defaults = new();

    [Fact]
    public void The_psi_of_two_samples_of_one_distribution_is_corrected_towards_zero_and_its_interval_holds_zero_more_or_less()
    {
        var baseline = Baselines.Number("amount", Samples.Normal(seed: 1, rows: 20_000, mean: 0));
        var estimates = Enumerable.Range(100, 30).Select(seed =>
            Drift.Number(baseline, Samples.Normal(seed, rows: 150, mean: 0), Defaults).Estimate!).ToList();

        Assert.All(estimates, e => Assert.InRange(e.Raw, 0.005, 0.3));
        Assert.InRange(estimates.Average(e => e.Value), 0, 0.03);
        Assert.True(estimates.Average(e => e.Raw) > 2 * estimates.Average(e => e.Value), $"raw mean {estimates.Average(e => e.Raw)}");
        Assert.All(estimates, e => Assert.True(e.Low <= e.Value && e.Value <= e.High, $"{e}"));
        Assert.True(estimates.Count(e => e.Low > 0.01) <= 3, string.Join(", ", estimates.Select(e => e.Low)));
    }

    [Fact]
    public void A_real_shift_keeps_an_interval_clear_of_the_drift_line_on_the_same_small_window()
    {
        var baseline = Baselines.Number("amount", Samples.Normal(seed: 1, rows: 20_000, mean: 0));

        var shifted = Drift.Number(baseline, Samples.Normal(seed: 7, rows: 150, mean: 1.2), Defaults);

        Assert.Equal(DriftStatus.Drift, shifted.Status);
        Assert.True(shifted.Estimate!.Low >= Defaults.PsiWarning && shifted.Psi >= Defaults.PsiDrift, $"{shifted.Estimate}");
        Assert.Contains("90% interval", shifted.Reason);
    }

    [Fact]
    public void The_same_counts_always_give_the_same_interval()
    {
        long[] baseline = [500, 300, 200];
        long[] current = [40, 35, 25];

        Assert.Equal(PsiEstimate.Of(baseline, current), PsiEstimate.Of(baseline, current));
    }

    [Fact]
    public void Holm_multiplies_the_smallest_p_by_the_count_and_keeps_the_order()
    {
        var adjusted = DriftStatistics.Holm([0.01, 0.04, double.NaN, 0.03, 0.5]);

        Assert.Equal(0.04, adjusted[0], 12); // 0.01 × 4 tested
        Assert.Equal(0.09, adjusted[3], 12); // 0.03 × 3
        Assert.Equal(0.09, adjusted[1], 12); // 0.04 × 2 = 0.08, raised to the one before
        Assert.True(double.IsNaN(adjusted[2]));
        Assert.Equal(0.5, adjusted[4], 12);
    }

    [Fact]
    public void Twelve_features_each_weakly_significant_alone_are_not_flagged_together()
    {
        // Each feature: 50/50 in training, 53.5/46.5 in a window of 2,000 rows: chi-square p ≈ 0.002 alone, ≈ 0.02 once
        // adjusted over twelve — a family of that size gives one such p-value by chance far more often than one feature.
        var baseline = Baselines.Category("plan", Repeat("a", 10_000).Concat(Repeat("b", 10_000)));
        var lines = Defaults with { PsiWarning = 0.002, PsiDrift = 0.5 };
        var alone = Enumerable.Range(0, 12).Select(_ => Drift.Category(baseline, Repeat("a", 1_070).Concat(Repeat("b", 930)), lines)).ToList();

        var together = Drift.Together(alone, lines);

        Assert.All(alone, d => Assert.True(d.Status == DriftStatus.Warning, $"{d.Estimate} {d.Reason}"));
        Assert.All(alone, d => Assert.InRange(d.PValue!.Value, 0.0005, 0.005));
        Assert.All(together, d => Assert.Equal(DriftStatus.Ok, d.Status));
        Assert.All(together, d => Assert.Equal(Math.Min(1, d.PValue!.Value * 12), d.AdjustedPValue!.Value, 9));
        Assert.All(together, d => Assert.Contains("does not confirm a change", d.Reason));
    }

    [Fact]
    public void A_strong_shift_is_still_found_among_many_features_tested_together()
    {
        var baselines = Enumerable.Range(0, 12).Select(f => Baselines.Number($"f{f}", Samples.Normal(seed: 2000 + f, rows: 20_000, mean: 0))).ToList();
        var window = baselines.Select((b, f) => Drift.Number(b, Samples.Normal(seed: 3000 + f, rows: 200, mean: f == 5 ? 1 : 0), Defaults)).ToList();

        var together = Drift.Together(window, Defaults);

        Assert.Equal(DriftStatus.Drift, together[5].Status);
        Assert.Contains("adjusted over 12 features", together[5].Reason);
        Assert.All(together.Where((_, f) => f != 5), d => Assert.Equal(DriftStatus.Ok, d.Status));
    }

    private static IEnumerable<string?> Repeat(string value, int count) => Enumerable.Repeat<string?>(value, count);
}
