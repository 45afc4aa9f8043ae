using ControlPlane.Core.DemoData;
using ControlPlane.ML;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>
/// Per-row explanations are in stated units and add up: for every trainer the search can choose, the base value plus
/// the contributions equals the model's output on the row as scoring gives it — the log-odds of the probability
/// (binary), the value (regression), the log-odds of the predicted class's probability (multiclass) — and a loaded
/// artifact explains a row as training did.
/// </summary>
public sealed class ServingExplanationTests
{
    public static TheoryData<string, string> Trainers()
    {
        var data = new TheoryData<string, string>();
        foreach (var (useCase, task) in new[] { (DemoUseCaseKeys.ChurnRisk, TaskType.Binary), (DemoUseCaseKeys.ResolutionTime, TaskType.Regression), (DemoUseCaseKeys.TicketRouting, TaskType.Multiclass) })
        {
            foreach (var trainer in TrainerNames.For(task))
            {
                data.Add(useCase, trainer);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public async Task Base_plus_contributions_is_the_models_output_in_the_stated_units(string useCase, string trainer)
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", useCase, maxRows: 600);
        var model = demo.Train(DemoTraining.Quick with { Trainers = [trainer], DefaultHyperparametersOnly = true, ExplainedRows = 4 });
        var rows = RawTableRows.Select(TrainingSplitTests.Split(demo, DemoTraining.Quick).Test, Enumerable.Range(0, 6).ToArray());

        var explained = model.Explain(rows)!;
        var scores = model.Score(rows);

        var units = demo.Task switch
        {
            TaskType.Binary => ExplanationUnits.LogOdds,
            TaskType.Multiclass => ExplanationUnits.ClassLogOdds,
            _ => ExplanationUnits.Output,
        };
        Assert.Equal(rows.RowCount, explained.Count);
        // One base per model (multiclass: per class explained, the mean log-odds of that class over the background rows).
        Assert.All(explained.GroupBy(e => demo.Task == TaskType.Multiclass ? e.Score : ""), g => Assert.Single(g.Select(e => e.BaseValue).Distinct()));
        for (var i = 0; i < rows.RowCount; i++)
        {
            var e = explained[i];
            Assert.Equal(units, e.Units);
            Assert.Equal(demo.Effective.Features.Count, e.Contributions.Count);
            Assert.Equal(e.Value!.Value, e.BaseValue!.Value + e.Contributions.Sum(c => c.Value), 9);
            // The explained value is the output scoring gives the row, computed independently of the explanation.
            var expected = demo.Task switch
            {
                TaskType.Regression => scores[i].Score,
                _ => LogOdds(scores[i].Score),
            };
            Assert.Equal(expected, e.Value.Value, 4);
            if (demo.Task == TaskType.Multiclass)
            {
                Assert.Equal(scores[i].Class, e.Score);
            }
        }
    }

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
            Assert.Equal(stored.BaseValue, now.BaseValue);
            Assert.Equal(stored.Contributions.Select(c => c.Feature), now.Contributions.Select(c => c.Feature));
            Assert.All(stored.Contributions.Zip(now.Contributions), p => Assert.Equal(p.First.Value, p.Second.Value, precision: 6));
        }
    }

    private static double LogOdds(double p)
    {
        var q = Math.Clamp(p, 1e-9, 1 - 1e-9);
        return Math.Log(q / (1 - q));
    }
}
