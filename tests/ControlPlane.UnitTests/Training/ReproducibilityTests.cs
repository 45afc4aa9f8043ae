using ControlPlane.Core.DemoData;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>Same data, rules and settings give bit-identical predictions; a saved model scores exactly as before saving.</summary>
public sealed class ReproducibilityTests
{
    [Fact]
    public async Task Training_twice_gives_identical_fingerprints_metrics_and_scores()
    {
        var demo = await DemoTraining.LoadAsync("fabrikam-eu", DemoUseCaseKeys.LeadScoring, maxRows: 1500);
        // The whole search, LightGBM included: every candidate must be deterministic for the choice to be.
        var settings = DemoTraining.Quick with { TimeBudget = TimeSpan.FromMinutes(1) };

        var first = demo.Train(settings);
        var second = demo.Train(settings);

        Assert.Equal(first.Report.PredictionFingerprint, second.Report.PredictionFingerprint);
        Assert.Equal(first.Report.Trainer, second.Report.Trainer);
        Assert.Equal(first.Report.Candidates.Select(c => c.Score), second.Report.Candidates.Select(c => c.Score));
        Assert.Equal(first.Report.Test.Auc, second.Report.Test.Auc);
        Assert.Equal(first.Report.Importance, second.Report.Importance);
        Assert.Equal(Bits(first.Score(demo.Table)), Bits(second.Score(demo.Table)));
        Assert.Equal(64, first.Report.PredictionFingerprint.Length);
    }

    [Fact]
    public async Task The_reports_trainer_and_hyperparameters_reproduce_the_model_without_a_search()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ResolutionTime, maxRows: 1500);
        var searched = demo.Train(DemoTraining.Quick with { TimeBudget = TimeSpan.FromMinutes(1) });

        var reproduced = demo.Train(DemoTraining.Quick with
        {
            Trainers = [searched.Report.Trainer], Hyperparameters = searched.Report.Hyperparameters,
        });

        Assert.True(searched.Report.Candidates.Count > 1);
        Assert.Empty(reproduced.Report.Candidates);
        Assert.Equal(searched.Report.PredictionFingerprint, reproduced.Report.PredictionFingerprint);
        Assert.Equal(searched.Report.Test.Rmse, reproduced.Report.Test.Rmse);
    }

    [Fact]
    public async Task A_different_seed_gives_a_different_fingerprint()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 1000);
        demo = demo with { Effective = demo.Effective with { EventTime = null } };
        var settings = DemoTraining.Quick with { Trainers = [TrainerNames.FastTree], DefaultHyperparametersOnly = true };

        Assert.NotEqual(demo.Train(settings).Report.PredictionFingerprint, demo.Train(settings with { Seed = 5 }).Report.PredictionFingerprint);
    }

    [Theory]
    [InlineData("contoso-health", DemoUseCaseKeys.ChurnRisk, TrainerNames.LightGbm)]
    [InlineData("contoso-health", DemoUseCaseKeys.TicketRouting, TrainerNames.MaximumEntropy)]
    [InlineData("contoso-health", DemoUseCaseKeys.ResolutionTime, TrainerNames.FastTree)]
    [InlineData("fabrikam-eu", DemoUseCaseKeys.LeadScoring, TrainerNames.FastTree)]
    public async Task A_saved_and_loaded_model_scores_identically(string tenant, string useCase, string trainer)
    {
        var demo = await DemoTraining.LoadAsync(tenant, useCase, maxRows: 1000);
        var model = demo.Train(DemoTraining.Quick with { Trainers = [trainer], DefaultHyperparametersOnly = true });

        using var artifact = new MemoryStream();
        model.Save(artifact);
        artifact.Position = 0;
        var loaded = TrainedModel.Load(artifact);

        var before = model.Score(demo.Table);
        var after = loaded.Score(demo.Table);
        Assert.Equal(Bits(before), Bits(after));
        Assert.Equal(before.Select(s => (s.EntityKey, s.Class)), after.Select(s => (s.EntityKey, s.Class)));
        Assert.Equal(ModelReportJson.Write(model.Report), ModelReportJson.Write(loaded.Report));
        Assert.Equal(model.InputColumns, loaded.InputColumns);

        // One row at a time (real-time serving) gives the batch's scores, bit for bit; FastTree's rows are scored by
        // the flat copy of its trees, every other model's by ML.NET's row mapper.
        Assert.Equal(trainer == TrainerNames.FastTree, loaded.ScoresRowsFlat);
        var scorer = loaded.CreateRowScorer();
        for (var row = 0; row < demo.Table.RowCount; row++)
        {
            var one = scorer.Score(demo.Table, row);
            Assert.Equal((before[row].EntityKey, before[row].Score, before[row].Class), (one.EntityKey, one.Score, one.Class));
            Assert.Equal(before[row].ClassScores?.OrderBy(c => c.Key, StringComparer.Ordinal), one.ClassScores?.OrderBy(c => c.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Loading_something_else_is_a_clear_error()
    {
        using var notAModel = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(notAModel, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            zip.CreateEntry("readme.txt");
        }

        notAModel.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => TrainedModel.Load(notAModel));
        Assert.Contains("report.json", error.Message);
    }

    private static long[] Bits(IReadOnlyList<ModelScore> scores) => scores.Select(s => BitConverter.DoubleToInt64Bits(s.Score)).ToArray();
}
