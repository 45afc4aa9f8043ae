using ControlPlane.ML.Monitoring;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>Per-feature and dataset drift: statuses, reasons, and the histograms they were judged on.</summary>
public sealed class DriftTests
{
    private static readonly DriftThresholds Defaults = new();

    [Fact]
    public void A_normal_sample_with_a_shifted_mean_drifts_and_an_unshifted_one_does_not()
    {
        var baseline = Baselines.Number("amount", Samples.Normal(seed: 1, rows: 10_000, mean: 0));

        var same = Drift.Number(baseline, Samples.Normal(seed: 2, rows: 5_000, mean: 0), Defaults);
        var shifted = Drift.Number(baseline, Samples.Normal(seed: 3, rows: 5_000, mean: 1), Defaults);

        Assert.Equal(DriftStatus.Ok, same.Status);
        Assert.InRange(same.Psi!.Value, 0, 0.05);
        Assert.Equal(DriftStatus.Drift, shifted.Status);
        Assert.True(shifted.Psi > Defaults.PsiDrift, $"PSI {shifted.Psi}");
        Assert.Equal("ks", shifted.Test);
        Assert.True(shifted.PValue < Defaults.PValue, $"p {shifted.PValue}");
        Assert.Contains("confirms", shifted.Reason);
        Assert.Equal(baseline.Edges!.Count + 1, shifted.Bins.Count);
        Assert.Equal(1.0, shifted.CurrentShares.Sum(), 9);
        Assert.Equal(1.0, shifted.BaselineShares.Sum(), 9);
    }

    [Fact]
    public void Values_beyond_the_training_range_land_in_the_overflow_bin()
    {
        var baseline = Baselines.Number("age", [1, 2, 3, 4], bins: 4);

        var drift = Drift.Number(baseline, [2, 3, 50, 60], Defaults with { MinRows = 1 });

        Assert.Equal("> 4", drift.Bins[^1]);
        Assert.Equal(0.5, drift.CurrentShares[^1]);
        Assert.Equal(0, drift.BaselineShares[^1]);
    }

    [Fact]
    public void A_window_with_no_rows_or_only_missing_values_is_no_data_not_drift()
    {
        var baseline = Baselines.Number("amount", Samples.Normal(seed: 1, rows: 1_000, mean: 0));
        var categories = Baselines.Category("plan", ["a", "b"]);

        var empty = Drift.Number(baseline, [], Defaults);
        var missing = Drift.Number(baseline, [double.NaN, double.NaN], Defaults);
        var blank = Drift.Category(categories, [null, "", "  "], Defaults);

        Assert.Equal(DriftStatus.NoData, empty.Status);
        Assert.Equal("no rows in this window", empty.Reason);
        Assert.Null(empty.Psi);
        Assert.Equal(DriftStatus.NoData, missing.Status);
        Assert.Equal("all 2 rows in this window are missing", missing.Reason);
        Assert.Equal(2, missing.Missing);
        Assert.Equal(DriftStatus.NoData, blank.Status);
        Assert.Equal(3, blank.Missing);
    }

    [Fact]
    public void A_baseline_without_values_gives_no_data()
    {
        var baseline = Baselines.Number("amount", [double.NaN, double.PositiveInfinity]);

        var drift = Drift.Number(baseline, [1, 2, 3], Defaults with { MinRows = 1 });

        Assert.Equal(2, baseline.Missing);
        Assert.Equal(DriftStatus.NoData, drift.Status);
        Assert.Equal("the training data had no values for this feature", drift.Reason);
    }

    [Fact]
    public void Invalid_thresholds_are_refused_naming_the_field()
    {
        var baseline = Baselines.Number("amount", [1, 2, 3]);

        var error = Assert.Throws<ArgumentException>(() => Drift.Number(baseline, [1, 2], Defaults with { MinRows = 0 }));

        Assert.StartsWith("minRows must be at least 1", error.Message);
        Assert.Equal("thresholds", error.ParamName);
    }

    [Fact]
    public void A_window_below_min_rows_skips_the_test_but_shows_psi()
    {
        var baseline = Baselines.Number("amount", Samples.Normal(seed: 1, rows: 1_000, mean: 0));

        var drift = Drift.Number(baseline, Samples.Normal(seed: 4, rows: 40, mean: 3), Defaults);

        Assert.Equal(DriftStatus.Skipped, drift.Status);
        Assert.Equal("only 40 rows; tests need at least 100", drift.Reason);
        Assert.NotNull(drift.Psi);
        Assert.True(drift.Psi > 1, $"PSI {drift.Psi}");
        Assert.Null(drift.Test);
        Assert.Null(drift.PValue);
    }

    [Fact]
    public void Pure_noise_on_a_small_window_never_warns_though_its_textbook_psi_would()
    {
        // 100 rows: over the baseline's 20 bins the textbook PSI of pure noise is around (bins − 1)/rows ≈ 0.2, the drift
        // line; over bins expecting 10 rows each it is about 0.09, and the correction takes most of that out.
        var baseline = Baselines.Number("amount", Samples.Normal(seed: 1, rows: 100_000, mean: 0));
        var samples = Enumerable.Range(10, 40).Select(seed => Samples.Normal(seed, rows: 100, mean: 0)).ToList();
        var results = samples.Select(sample => Drift.Number(baseline, sample, Defaults)).ToList();
        var textbook = results.Select(r => DriftStatistics.Psi(r.BaselineShares, r.CurrentShares)).ToList();

        Assert.All(results, r => Assert.Equal(DriftStatus.Ok, r.Status));
        Assert.True(textbook.Count(p => p >= Defaults.PsiWarning) >= 30, string.Join(", ", textbook));
        Assert.True(results.Average(r => r.Psi!.Value) < textbook.Average() / 3, $"{results.Average(r => r.Psi!.Value)} vs {textbook.Average()}");
        Assert.True(results.Count(r => r.Psi >= Defaults.PsiWarning) <= 2, string.Join(", ", results.Select(r => r.Psi)));
    }

    [Fact]
    public void Unseen_categories_are_counted_apart_from_rare_known_ones()
    {
        // Training: a ×60, b ×30, c ×10 (c folded into other with maxCategories 2).
        var training = Repeat("a", 60).Concat(Repeat("b", 30)).Concat(Repeat("c", 10));
        var baseline = Baselines.Category("plan", training, maxCategories: 2);

        var current = Repeat("a", 50).Concat(Repeat("b", 30)).Concat(Repeat("c", 5)).Concat(Repeat("z", 10)).Concat(Repeat("y", 5)).Append(null);
        var drift = Drift.Category(baseline, current, Defaults);

        Assert.Equal(["a", "b", Drift.OtherBin, Drift.UnseenBin], drift.Bins);
        Assert.Equal(15, drift.Unseen);
        Assert.Equal(["z", "y"], drift.UnseenExamples);
        Assert.Equal(101, drift.Rows);
        Assert.Equal(1, drift.Missing);
        Assert.Equal([0.5, 0.3, 0.05, 0.15], drift.CurrentShares.Select(s => Math.Round(s, 9)));
        Assert.Equal([0.6, 0.3, 0.1, 0.0], drift.BaselineShares.Select(s => Math.Round(s, 9)));
        Assert.Contains("15 rows (15.0%) have categories the training data never had, e.g. 'z', 'y'", drift.Reason);
        Assert.Equal("chi-square", drift.Test);
    }

    [Fact]
    public void A_changed_category_mix_drifts_and_the_same_mix_does_not()
    {
        var baseline = Baselines.Category("plan", Repeat("free", 7_000).Concat(Repeat("pro", 2_500)).Concat(Repeat("team", 500)));

        var same = Drift.Category(baseline, Repeat("free", 700).Concat(Repeat("pro", 250)).Concat(Repeat("team", 50)), Defaults);
        var changed = Drift.Category(baseline, Repeat("free", 400).Concat(Repeat("pro", 400)).Concat(Repeat("team", 200)), Defaults);

        Assert.Equal(DriftStatus.Ok, same.Status);
        Assert.Equal(0, same.Psi!.Value, 9);
        Assert.Equal(DriftStatus.Drift, changed.Status);
        Assert.True(changed.PValue < 1e-6, $"p {changed.PValue}");
    }

    [Fact]
    public void Text_reports_the_out_of_vocabulary_rate_against_the_training_coverage()
    {
        var words = new[] { "order", "late", "refund", "please", "thanks", "delivery" };
        var training = Enumerable.Range(0, 500).Select(i => $"{words[i % 6]} {words[(i + 1) % 6]} {words[(i + 2) % 6]}").ToList();
        var baseline = Baselines.Text("notes", training);

        var same = Drift.Text(baseline, training.Take(200), Defaults);
        var foreign = Drift.Text(baseline, Enumerable.Range(0, 200).Select(i => $"commande retard {words[i % 6]}"), Defaults);

        Assert.Equal(1.0, baseline.VocabularyCoverage);
        Assert.Equal(DriftStatus.Ok, same.Status);
        Assert.Equal(0, same.OutOfVocabulary);
        Assert.Equal(DriftStatus.Drift, foreign.Status);
        Assert.Equal(2.0 / 3, foreign.OutOfVocabulary!.Value, 9);
        Assert.Contains("66.7% of the window's 600 tokens are outside the training vocabulary (training: 0.0%", foreign.Reason);
    }

    [Fact]
    public void Dataset_drifts_when_the_share_of_drifting_judged_features_reaches_the_threshold()
    {
        FeatureDrift Feature(DriftStatus status) => new("f", BaselineKind.Number, 100, 0, 0, null, null, null, status, null, [], [], []);
        var features = new[] { Feature(DriftStatus.Drift), Feature(DriftStatus.Ok), Feature(DriftStatus.Warning), Feature(DriftStatus.NoData), Feature(DriftStatus.Skipped) };

        var (drifting, share) = Drift.Dataset(features, Defaults);
        var (stricter, _) = Drift.Dataset(features, Defaults with { DatasetDriftShare = 0.5 });
        var (none, noShare) = Drift.Dataset([Feature(DriftStatus.NoData)], Defaults);

        Assert.Equal(1.0 / 3, share, 12);
        Assert.True(drifting);
        Assert.False(stricter);
        Assert.False(none);
        Assert.Equal(0, noShare);
    }

    [Fact]
    public void Validate_names_each_bad_field()
    {
        var bad = new DriftThresholds { PsiWarning = 0.3, PsiDrift = 0.2, PValue = 1.5, MinRows = 0, DatasetDriftShare = 0 };

        Assert.Empty(new DriftThresholds().Validate());
        Assert.Equal(
            [
                "psiDrift must be greater than psiWarning",
                "pValue must be between 0 and 1 (exclusive)",
                "minRows must be at least 1",
                "datasetDriftShare must be greater than 0 and at most 1",
            ],
            bad.Validate());
        Assert.Equal(["psiWarning must be a number greater than 0"], (new DriftThresholds() with { PsiWarning = double.NaN, PsiDrift = 0.2 }).Validate().Take(1));
    }

    private static IEnumerable<string?> Repeat(string value, int count) => Enumerable.Repeat<string?>(value, count);
}
