using ControlPlane.ML;
using ControlPlane.ML.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.UnitTests.Training;

/// <summary>
/// The search and permutation importance compute their one number themselves (<see cref="ModelEvaluator.HeadlineValue"/>);
/// it must be the number ML.NET's own evaluators give for the same scored rows, ties and all.
/// </summary>
public sealed class HeadlineMetricTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void Auc_matches_mlnet_including_tied_scores()
    {
        var random = new Random(7);
        // Scores rounded to one decimal: many ties across both classes.
        var rows = Enumerable.Range(0, 500).Select(_ =>
        {
            var label = random.NextDouble() < 0.3;
            var score = (float)Math.Round((label ? 0.6 : 0.4) + (random.NextDouble() - 0.5) * 0.8, 1);
            return new BinaryScored { Label = label, Score = score, PredictedLabel = score > 0.5f };
        }).ToArray();
        var view = _ml.Data.LoadFromEnumerable(rows);

        var expected = _ml.BinaryClassification.EvaluateNonCalibrated(view).AreaUnderRocCurve;

        Assert.Equal(expected, ModelEvaluator.HeadlineValue(view, TaskType.Binary), precision: 9);
        Assert.InRange(expected, 0.6, 0.95); // the fixture has signal, so the comparison is not between two trivial values
    }

    [Fact]
    public void Auc_of_a_perfect_and_of_a_reversed_ranking()
    {
        Assert.Equal(1.0, ModelEvaluator.Auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]));
        Assert.Equal(0.0, ModelEvaluator.Auc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]));
        Assert.Equal(0.5, ModelEvaluator.Auc([0, 1], [0.5, 0.5]));
        Assert.True(double.IsNaN(ModelEvaluator.Auc([1, 1], [0.2, 0.3])));
    }

    [Fact]
    public void Macro_accuracy_matches_mlnet_and_leaves_out_rows_without_a_label_key()
    {
        const int classes = 4;
        var random = new Random(11);
        var rows = Enumerable.Range(0, 400).Select(_ =>
        {
            var label = (uint)random.Next(0, classes + 1); // 0: a class unseen in training (missing key)
            var predicted = random.NextDouble() < 0.6 && label > 0 ? label : (uint)random.Next(1, classes + 1);
            var score = new float[classes];
            score[predicted - 1] = 1;
            return new MulticlassScored { Label = label, PredictedLabel = predicted, Score = score };
        }).ToArray();
        var definition = SchemaDefinition.Create(typeof(MulticlassScored));
        definition[nameof(MulticlassScored.Label)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        definition[nameof(MulticlassScored.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), classes);
        definition[nameof(MulticlassScored.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classes);
        // LoadFromEnumerable stores a key field's value + 1: hand it key − 1 (0 − 1 wraps to the missing key).
        var view = _ml.Data.LoadFromEnumerable(rows.Select(r => r with { Label = r.Label - 1, PredictedLabel = r.PredictedLabel - 1 }), definition);

        var expected = _ml.MulticlassClassification.Evaluate(view).MacroAccuracy;
        var actual = ModelEvaluator.HeadlineValue(view, TaskType.Multiclass);

        Assert.Equal(expected, actual, precision: 9);
        Assert.InRange(actual, 0.5, 0.9);
    }

    [Fact]
    public void Rmse_matches_mlnet()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 300).Select(_ =>
        {
            var label = (float)(random.NextDouble() * 100);
            return new RegressionScored { Label = label, Score = label + (float)(random.NextDouble() * 10 - 5) };
        }).ToArray();
        var view = _ml.Data.LoadFromEnumerable(rows);

        Assert.Equal(_ml.Regression.Evaluate(view).RootMeanSquaredError, ModelEvaluator.HeadlineValue(view, TaskType.Regression), precision: 6);
    }

    private sealed record BinaryScored
    {
        public bool Label { get; init; }
        public float Score { get; init; }
        public bool PredictedLabel { get; init; }
    }

    private sealed record MulticlassScored
    {
        public uint Label { get; init; }
        public uint PredictedLabel { get; init; }
        public float[] Score { get; init; } = [];
    }

    private sealed record RegressionScored
    {
        public float Label { get; init; }
        public float Score { get; init; }
    }
}
