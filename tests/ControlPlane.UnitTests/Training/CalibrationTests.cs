using ControlPlane.Core.DemoData;
using ControlPlane.ML.Training;
using Xunit.Abstractions;

namespace ControlPlane.UnitTests.Training;

/// <summary>Binary scores are calibrated probabilities: on the test split their mean is close to the share of positives.</summary>
public sealed class CalibrationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(TrainerNames.FastTree)]
    [InlineData(TrainerNames.LightGbm)]
    [InlineData(TrainerNames.LogisticRegression)]
    public async Task Mean_probability_is_close_to_the_test_base_rate(string trainer)
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk);
        var model = demo.Train(DemoTraining.Quick with { Trainers = [trainer], DefaultHyperparametersOnly = true });
        var split = TrainingSplitTests.Split(demo, DemoTraining.Quick);

        var probabilities = model.Score(split.Test).Select(s => s.Score).ToArray();
        var rate = PositiveRate(split.Test, demo);
        output.WriteLine($"{trainer}: mean probability {probabilities.Average():0.0000}, base rate {rate:0.0000}");

        Assert.All(probabilities, p => Assert.InRange(p, 0, 1));
        Assert.InRange(probabilities.Average(), rate - 0.05, rate + 0.05);
    }

    /// <summary>The share of positive labels, read as the rules read them (booleans, numbers above 0, the positive spellings).</summary>
    private static double PositiveRate(ControlPlane.ML.Rules.RawTable table, DemoTraining demo)
    {
        var positive = demo.Effective.Label!.Positive ?? ["true", "yes", "y", "1"];
        var values = table.Columns.Single(c => c.Name == demo.LabelColumn).Values;
        var flags = values switch
        {
            bool?[] b => b.Select(v => v == true),
            double?[] d => d.Select(v => v > 0),
            string?[] t => t.Select(v => v is not null && positive.Contains(v.Trim(), StringComparer.OrdinalIgnoreCase)),
            _ => throw new ArgumentException(demo.LabelColumn),
        };
        return flags.Count(f => f) / (double)table.RowCount;
    }
}
