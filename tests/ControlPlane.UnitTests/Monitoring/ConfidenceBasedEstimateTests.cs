using ControlPlane.ML.Monitoring;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>CBPE on hand-worked samples, and its estimate against realized performance on simulated calibrated data.</summary>
public sealed class ConfidenceBasedEstimateTests
{
    private static readonly double[] P = [0.9, 0.8, 0.3, 0.1];

    [Fact]
    public void Expected_accuracy_is_the_mean_confidence_in_the_predicted_label()
    {
        // Predicted T T F F: 0.9 + 0.8 + (1 − 0.3) + (1 − 0.1) = 3.3 → 0.825.
        Assert.Equal(0.825, ConfidenceBasedEstimate.Accuracy(P, [true, true, false, false]), 12);

        // A threshold other than 0.5: 0.3 predicted positive counts 0.3, not 0.7 → 2.9 / 4.
        Assert.Equal(0.725, ConfidenceBasedEstimate.Accuracy(P, [true, true, true, false]), 12);
    }

    [Fact]
    public void Expected_auc_is_the_area_under_the_expected_roc_curve()
    {
        // ΣP = 2.1, ΣN = 1.9. Cumulative (TP, FP) by threshold: (0.9, 0.1), (1.7, 0.3), (2.0, 1.0), (2.1, 1.9).
        // Trapezoids Σ n·(TP before + p/2): 0.1·0.45 + 0.2·1.3 + 0.7·1.85 + 0.9·2.05 = 0.045 + 0.26 + 1.295 + 1.845 = 3.445,
        // over ΣP·ΣN = 3.99.
        Assert.Equal(3.445 / 3.99, ConfidenceBasedEstimate.Auc(P), 12);
    }

    [Fact]
    public void Expected_auc_of_certain_probabilities_is_the_realized_one_and_nan_without_both_classes()
    {
        Assert.Equal(1.0, ConfidenceBasedEstimate.Auc([1.0, 1.0, 0.0]), 12);
        Assert.True(double.IsNaN(ConfidenceBasedEstimate.Auc([1.0, 1.0])));
        Assert.True(double.IsNaN(ConfidenceBasedEstimate.Accuracy([], [])));
    }

    [Fact]
    public void The_accumulator_matches_the_exact_estimate_and_adds_days_up()
    {
        var random = new Random(11);
        var p = Enumerable.Range(0, 2000).Select(_ => random.NextDouble()).ToArray();
        var predicted = p.Select(x => x >= 0.5).ToArray();
        var first = new CbpeAccumulator();
        var second = new CbpeAccumulator();
        for (var i = 0; i < p.Length; i++)
        {
            (i % 2 == 0 ? first : second).Add(p[i], predicted[i]);
        }

        first.Add(second);

        Assert.Equal(2000, first.Rows);
        Assert.Equal(ConfidenceBasedEstimate.Accuracy(p, predicted), first.Accuracy, 12);
        Assert.Equal(ConfidenceBasedEstimate.Auc(p), first.Auc, 3);
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(2, 0.5)]
    [InlineData(3, 0.7)]
    public void On_calibrated_data_the_estimate_tracks_realized_accuracy_and_auc(int seed, double threshold)
    {
        // p ~ U(0, 1), label ~ Bernoulli(p): calibrated by construction. With 5,000 rows the realized accuracy's standard
        // deviation around its expectation is about √(E[p(1−p)] / n) ≈ 0.006, so 0.02 is more than three of them.
        const double tolerance = 0.02;
        var random = new Random(seed);
        var p = Enumerable.Range(0, 5000).Select(_ => random.NextDouble()).ToArray();
        var actual = p.Select(x => random.NextDouble() < x).ToArray();
        var predicted = p.Select(x => x >= threshold).ToArray();

        var realized = PerformanceMetrics.Binary(p, predicted, actual).ToDictionary(m => m.Name, m => m.Value);

        Assert.InRange(ConfidenceBasedEstimate.Accuracy(p, predicted), realized["accuracy"] - tolerance, realized["accuracy"] + tolerance);
        Assert.InRange(ConfidenceBasedEstimate.Auc(p), realized["auc"] - tolerance, realized["auc"] + tolerance);
    }

    [Fact]
    public void Miscalibrated_probabilities_mislead_the_estimate()
    {
        // The model says p but the truth is p / 2: overconfident in positives. Realized accuracy is
        // ∫₀^½ (1 − p/2) dp + ∫_½^1 p/2 dp = 0.4375 + 0.1875 = 0.625 against an estimate of 0.75.
        var random = new Random(5);
        var p = Enumerable.Range(0, 5000).Select(_ => random.NextDouble()).ToArray();
        var actual = p.Select(x => random.NextDouble() < x / 2).ToArray();
        var predicted = p.Select(x => x >= 0.5).ToArray();

        var realized = PerformanceMetrics.Binary(p, predicted, actual).Single(m => m.Name == "accuracy").Value;

        Assert.True(ConfidenceBasedEstimate.Accuracy(p, predicted) - realized > 0.1);
    }
}
