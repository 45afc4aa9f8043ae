using ControlPlane.Core.DemoData;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>Real-time explanations from a loaded artifact are the ones training stored for the same rows.</summary>
public sealed class ServingExplanationTests
{
    [Theory]
    [InlineData(TrainerNames.LogisticRegression)]
    [InlineData(TrainerNames.FastTree)]
    public async Task A_loaded_model_explains_a_row_as_training_did(string trainer)
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 1500);
        var settings = DemoTraining.Quick with { Trainers = [trainer], DefaultHyperparametersOnly = true, ExplainedRows = 8 };
        var model = demo.Train(settings);
        using var artifact = new MemoryStream();
        model.Save(artifact);
        artifact.Position = 0;
        var loaded = TrainedModel.Load(artifact);
        var test = TrainingSplitTests.Split(demo, settings).Test;

        var explained = loaded.Explain(test);

        Assert.NotNull(explained);
        Assert.Equal(test.RowCount, explained.Count);
        var byKey = explained.Where(e => e.EntityKey is not null).ToDictionary(e => e.EntityKey!);
        Assert.Equal(8, model.Report.Explanations.Count);
        foreach (var stored in model.Report.Explanations)
        {
            var now = byKey[stored.EntityKey!];
            Assert.Equal(stored.Score, now.Score);
            Assert.Equal(stored.Contributions.Select(c => c.Feature), now.Contributions.Select(c => c.Feature));
            Assert.All(stored.Contributions.Zip(now.Contributions), p => Assert.Equal(p.First.Value, p.Second.Value, precision: 6));
        }
    }

    [Fact]
    public async Task A_multiclass_model_has_no_per_row_contributions_to_give()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.TicketRouting, maxRows: 800);
        var model = demo.Train(DemoTraining.Quick with { Trainers = [TrainerNames.MaximumEntropy], DefaultHyperparametersOnly = true });

        Assert.Null(model.Explain(demo.Table));
    }
}
