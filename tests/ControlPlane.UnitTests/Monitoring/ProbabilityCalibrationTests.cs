using ControlPlane.ML.Monitoring;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>The test-split isotonic calibration CBPE reads probabilities through.</summary>
public sealed class ProbabilityCalibrationTests
{
    [Fact]
    public void Pool_adjacent_violators_merges_a_falling_pair_and_applies_linearly_between_blocks()
    {
        // Sorted: (0.1, 0), (0.2, 1), (0.3, 0), (0.4, 1). The 1 then 0 violates monotonicity: pooled into one block at
        // mean probability 0.25 with rate 0.5. Points: (0.1, 0), (0.25, 0.5), (0.4, 1).
        var map = ProbabilityCalibration.Fit([0.3, 0.1, 0.4, 0.2], [0, 0, 1, 1])!;

        Assert.Equal([0.1, 0.25, 0.4], map.Probabilities.Select(p => Math.Round(p, 12)));
        Assert.Equal([0.0, 0.5, 1.0], map.Rates);
        Assert.Equal(4, map.Rows);
        Assert.Equal(0.75, map.Apply(0.325), 12);
        Assert.Equal(0.0, map.Apply(0.05));
        Assert.Equal(1.0, map.Apply(0.9));
    }

    [Fact]
    public void One_class_gives_no_map_and_an_empty_map_is_the_identity()
    {
        Assert.Null(ProbabilityCalibration.Fit([0.2, 0.9], [1, 1]));
        Assert.Equal(0.37, new ProbabilityCalibration().Apply(0.37));
    }

    [Fact]
    public void Overconfident_probabilities_are_pulled_back_so_the_estimate_matches_realized_accuracy()
    {
        // The truth is p / 2. Calibrated on one half, the estimate on the other half lands on its realized accuracy.
        var random = new Random(9);
        var p = Enumerable.Range(0, 8000).Select(_ => random.NextDouble()).ToArray();
        var y = p.Select(x => random.NextDouble() < x / 2 ? 1.0 : 0.0).ToArray();
        var map = ProbabilityCalibration.Fit(p[..4000], y[..4000])!;
        Assert.True(map.Probabilities.Count <= ProbabilityCalibration.MaxPoints);

        var rest = p[4000..];
        var predicted = rest.Select(x => x >= 0.5).ToArray();
        var realized = PerformanceMetrics.Binary(rest, predicted, y[4000..].Select(v => v > 0.5).ToArray()).Single(m => m.Name == "accuracy").Value;

        Assert.InRange(ConfidenceBasedEstimate.Accuracy(rest.Select(map.Apply).ToArray(), predicted), realized - 0.02, realized + 0.02);
        Assert.True(ConfidenceBasedEstimate.Accuracy(rest, predicted) - realized > 0.1);
    }
}
