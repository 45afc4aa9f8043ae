using ControlPlane.Core.DemoData;
using ControlPlane.ML.Training;
using ControlPlane.UnitTests.Training;

namespace ControlPlane.UnitTests.Rules;

/// <summary>
/// Real-time scoring through the flat rules program gives the batch's scores bit for bit, row by row, for every demo
/// tenant and use case and for linear, tree and multiclass models; rules it cannot reproduce are left to ML.NET.
/// </summary>
public sealed class FlatRulesTests
{
    public static TheoryData<string, string, string> Models() => new()
    {
        { "northwind-traders", DemoUseCaseKeys.LeadScoring, TrainerNames.LogisticRegression },
        { "northwind-traders", DemoUseCaseKeys.ChurnRisk, TrainerNames.FastTree },
        { "contoso-health", DemoUseCaseKeys.ChurnRisk, TrainerNames.LogisticRegression },
        { "contoso-health", DemoUseCaseKeys.ResolutionTime, TrainerNames.Sdca },
        { "contoso-health", DemoUseCaseKeys.ResolutionTime, TrainerNames.FastTree },
        { "fabrikam-eu", DemoUseCaseKeys.LeadScoring, TrainerNames.FastTree },
        { "fabrikam-eu", DemoUseCaseKeys.LeadScoring, TrainerNames.LightGbm },
        { "fabrikam-eu", DemoUseCaseKeys.TicketRouting, TrainerNames.MaximumEntropy },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Row_scores_equal_batch_scores_bit_for_bit(string tenant, string useCase, string trainer)
    {
        var demo = await DemoTraining.LoadAsync(tenant, useCase, maxRows: 800);
        var trained = demo.Train(DemoTraining.Quick with { Trainers = [trainer], DefaultHyperparametersOnly = true });
        // Served models are loaded from their artifacts (where ML.NET keeps a one-hot encoding as its two steps).
        using var artifact = new MemoryStream();
        trained.Save(artifact);
        artifact.Position = 0;
        var model = TrainedModel.Load(artifact);
        string? mismatch = null;
        model.FlatRulesMismatch += why => mismatch = why;

            var batch = trained.Score(demo.Table);
            var scorer = model.CreateRowScorer();
            for (var row = 0; row < demo.Table.RowCount; row++)
            {
                var one = scorer.Score(demo.Table, row);
                Assert.Equal(BitConverter.DoubleToInt64Bits(batch[row].Score), BitConverter.DoubleToInt64Bits(one.Score));
                Assert.Equal((batch[row].EntityKey, batch[row].Class), (one.EntityKey, one.Class));
                Assert.Equal(batch[row].ClassScores?.OrderBy(c => c.Key, StringComparer.Ordinal), one.ClassScores?.OrderBy(c => c.Key, StringComparer.Ordinal));
            }

            Assert.Null(mismatch);
            var text = demo.Effective.Features.Any(f => f.Type == ControlPlane.ML.FeatureType.Text);
            Assert.True(text ? model.RowScoring.StartsWith("ML.NET", StringComparison.Ordinal) : model.RowScoring == "flat rules", model.RowScoring);
    }
}
