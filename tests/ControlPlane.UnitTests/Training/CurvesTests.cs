using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>ROC and precision-recall points as the comparison UI draws them, and their downsampling.</summary>
public sealed class CurvesTests
{
    [Fact]
    public void A_perfect_ranking_goes_through_the_top_left_corner_and_keeps_full_precision()
    {
        double[] labels = [1, 1, 0, 0];
        double[] scores = [0.9, 0.8, 0.3, 0.1];

        var roc = Curves.Roc(labels, scores, 200);
        var pr = Curves.PrecisionRecall(labels, scores, 200);

        Assert.Equal([new(0, 0), new(0, 0.5), new(0, 1), new(0.5, 1), new(1, 1)], roc);
        Assert.Equal([new(0.5, 1), new(1, 1), new(1, 2 / 3.0), new(1, 0.5)], pr);
    }

    [Fact]
    public void Tied_scores_give_one_point_and_long_curves_are_sampled_keeping_both_ends()
    {
        Assert.Equal([new(0, 0), new(1, 1)], Curves.Roc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5], 200));

        var random = new Random(3);
        var labels = Enumerable.Range(0, 5000).Select(_ => (double)random.Next(2)).ToArray();
        var scores = Enumerable.Range(0, 5000).Select(_ => random.NextDouble()).ToArray();
        var roc = Curves.Roc(labels, scores, ModelEvaluator.MaxCurvePoints);

        Assert.Equal(ModelEvaluator.MaxCurvePoints, roc.Count);
        Assert.Equal(new CurvePoint(0, 0), roc[0]);
        Assert.Equal(new CurvePoint(1, 1), roc[^1]);
        Assert.True(roc.Zip(roc.Skip(1)).All(p => p.Second.X >= p.First.X && p.Second.Y >= p.First.Y));
    }
}
