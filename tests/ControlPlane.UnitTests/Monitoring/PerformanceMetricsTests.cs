using ControlPlane.ML;
using ControlPlane.ML.Monitoring;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>Realized metrics and the decay verdict on small samples worked out by hand.</summary>
public sealed class PerformanceMetricsTests
{
    [Fact]
    public void Binary_accuracy_counts_agreeing_labels_and_auc_ranks_the_probabilities()
    {
        // Predicted: p ≥ 0.5 → T T F F; actual T F T F → 2 of 4 right.
        // AUC: positives 0.9 and 0.3, negatives 0.8 and 0.1; pairs won: (0.9>0.8), (0.9>0.1), (0.3>0.1) → 3 of 4.
        double[] p = [0.9, 0.8, 0.3, 0.1];
        bool[] predicted = [true, true, false, false];
        bool[] actual = [true, false, true, false];

        var metrics = PerformanceMetrics.Binary(p, predicted, actual).ToDictionary(m => m.Name, m => m.Value);

        Assert.Equal(0.5, metrics["accuracy"], 12);
        Assert.Equal(0.75, metrics["auc"], 12);
    }

    [Fact]
    public void Binary_auc_is_nan_with_one_class_and_ties_count_half()
    {
        Assert.True(double.IsNaN(PerformanceMetrics.Binary([0.2, 0.7], [false, true], [true, true]).Single(m => m.Name == "auc").Value));
        // One positive and one negative at the same probability: half a pair.
        Assert.Equal(0.5, PerformanceMetrics.Binary([0.4, 0.4], [false, false], [true, false]).Single(m => m.Name == "auc").Value, 12);
    }

    [Fact]
    public void Multiclass_macro_accuracy_averages_recall_over_the_actual_classes()
    {
        // a: 2 rows, 1 right (0.5); b: 3 rows, 3 right (1); c: 1 row, 0 right (0) → macro 0.5; micro 4 of 6.
        string[] actual = ["a", "a", "b", "b", "b", "c"];
        string[] predicted = ["a", "b", "b", "b", "b", "a"];

        var metrics = PerformanceMetrics.Multiclass(predicted, actual).ToDictionary(m => m.Name, m => m.Value);

        Assert.Equal(0.5, metrics["macroAccuracy"], 12);
        Assert.Equal(4 / 6.0, metrics["microAccuracy"], 12);
    }

    [Fact]
    public void Regression_rmse_and_mae()
    {
        // Errors 1, −2, 0, 3: squares 1 + 4 + 0 + 9 = 14 → RMSE √3.5; absolutes 6 → MAE 1.5.
        var metrics = PerformanceMetrics.Regression([3, 0, 5, 10], [2, 2, 5, 7]).ToDictionary(m => m.Name, m => m.Value);

        Assert.Equal(Math.Sqrt(3.5), metrics["rmse"], 12);
        Assert.Equal(1.5, metrics["mae"], 12);
    }

    [Fact]
    public void Headline_metric_per_task_type()
    {
        Assert.Equal(("accuracy", true), PerformanceMetrics.Headline(TaskType.Binary));
        Assert.Equal(("macroAccuracy", true), PerformanceMetrics.Headline(TaskType.Multiclass));
        Assert.Equal(("rmse", false), PerformanceMetrics.Headline(TaskType.Regression));
    }

    [Theory]
    [InlineData(0.83, 0.80, true, DecayStatus.Ok)] // 3.6 % worse
    [InlineData(0.80, 0.75, true, DecayStatus.Warning)] // 6.25 % worse
    [InlineData(0.83, 0.71, true, DecayStatus.Decay)] // 14.5 % worse
    [InlineData(0.80, 0.95, true, DecayStatus.Ok)] // better
    [InlineData(10.0, 10.6, false, DecayStatus.Warning)] // RMSE 6 % higher
    [InlineData(10.0, 11.0, false, DecayStatus.Decay)] // RMSE 10 % higher: at the alert share
    [InlineData(10.0, 9.0, false, DecayStatus.Ok)]
    public void Decay_is_judged_by_relative_loss_in_the_metric_direction(double expected, double value, bool higher, DecayStatus status) =>
        Assert.Equal(status, DecayJudge.Judge(value, expected, higher, warning: 0.05, alert: 0.1));

    [Fact]
    public void Thresholds_mark_the_band_in_the_metric_direction()
    {
        Assert.Equal(0.76, DecayJudge.Threshold(0.8, higherIsBetter: true, 0.05), 12);
        Assert.Equal(11.0, DecayJudge.Threshold(10, higherIsBetter: false, 0.1), 12);
    }
}
