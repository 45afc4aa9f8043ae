using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Registry;
using ControlPlane.Core.UseCases;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.UnitTests.Training;

/// <summary>
/// The test rows are provably unused by every choice: training again with the test rows' labels replaced by random
/// ones changes the reported test metrics and nothing that was chosen — the trainer and its settings, the threshold,
/// the validation metrics and their intervals, every comparison with the rivals, the leakage checks, the own-versus-pooled
/// decision and the promotion gate's verdict.
/// </summary>
public sealed class TestSplitIsolationTests
{
    private static readonly TrainingSettings Settings = DemoTraining.Quick with
    {
        Trainers = [TrainerNames.LogisticRegression, TrainerNames.FastTree], TimeBudget = TimeSpan.FromMinutes(5),
    };

    private static readonly RuleDefaults Churn = FeatureRuleService.Defaults(BuiltInUseCases.All().Single(u => u.Key == DemoUseCaseKeys.ChurnRisk));

    [Fact]
    public async Task Poisoning_the_test_rows_changes_the_test_metrics_and_no_decision()
    {
        var demo = await DemoTraining.LoadAsync("northwind-traders", DemoUseCaseKeys.ChurnRisk, maxRows: 1500);
        var other = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 1500);
        var pooled = PooledTrainer.Train(
            [CanonicalTable.From(other.Table, other.Effective, Churn, Settings, "contoso-health"), CanonicalTable.From(demo.Table, demo.Effective, Churn, Settings, "northwind-traders")],
            Churn, Settings);
        var split = TrainingSplitTests.Split(demo, Settings);
        var poisoned = demo.WithColumn(demo.LabelColumn, c => Poison(c, split.AllRows.Skip(split.Train.RowCount + split.Validation.RowCount).ToHashSet()));

        var clean = Train(demo, pooled);
        var dirty = Train(poisoned, pooled);

        // The poison reached the test rows: the reported test AUC moved to chance.
        Assert.True(Math.Abs(clean.Test.HeadlineValue - dirty.Test.HeadlineValue) > 0.05, $"test AUC {clean.Test.HeadlineValue} and {dirty.Test.HeadlineValue}");
        Assert.InRange(dirty.Test.HeadlineValue, 0.35, 0.65);

        // Nothing chosen moved.
        Assert.Equal(clean.Split with { Note = null }, dirty.Split with { Note = null });
        Assert.Equal(clean.Trainer, dirty.Trainer);
        Assert.Equal(clean.Hyperparameters.OrderBy(h => h.Key), dirty.Hyperparameters.OrderBy(h => h.Key));
        Assert.Equal(clean.Candidates.Select(c => (c.Trainer, c.Score)), dirty.Candidates.Select(c => (c.Trainer, c.Score)));
        Assert.Equal(clean.Threshold, dirty.Threshold);
        Assert.Equal(clean.Validation!.HeadlineValue, dirty.Validation!.HeadlineValue);
        Assert.Equal(clean.Validation.Intervals, dirty.Validation.Intervals);
        Assert.Equal(clean.Importance, dirty.Importance);
        Assert.Equal(2, clean.Comparisons.Count(c => c.A == ModelComparison.Own));
        Assert.Equal(clean.Comparisons, dirty.Comparisons);
        Assert.Equal(clean.Leakage!.Suspected, dirty.Leakage!.Suspected);
        Assert.Equal(clean.Leakage.Findings, dirty.Leakage.Findings);
        Assert.Equal(clean.Leakage.Signals, dirty.Leakage.Signals);
        Assert.Equal(PooledDecision.Decide(clean, "pool"), PooledDecision.Decide(dirty, "pool"));
        Assert.Equal(PromotionGate.Decide(clean, ModelComparison.Own, "v2", false, "v1-id", "v1"), PromotionGate.Decide(dirty, ModelComparison.Own, "v2", false, "v1-id", "v1"));
    }

    private static ModelReport Train(DemoTraining demo, TrainedModel pooled) =>
        ModelTrainer.Train(demo.Table, demo.Effective, demo.Task, Settings, rivals:
        [
            PooledTrainer.Rival(pooled, "pool", "pooled v1", demo.Effective, Churn, Settings, "northwind-traders"),
            new RecipeRival("v1-id", "v1", RivalKinds.Champion, demo.Effective, TrainerNames.LogisticRegression, new Dictionary<string, string>(), DateFeatures.CurrentFeaturization),
        ]).Report;

    /// <summary>The label at <paramref name="rows"/> replaced by a coin toss (seeded); the other rows as they were.</summary>
    private static RawTableColumn Poison(RawTableColumn column, IReadOnlySet<int> rows)
    {
        var random = new Random(13);
        return column.Values switch
        {
            bool?[] flags => RawTableColumn.Booleans(column.Name, flags.Select((v, i) => rows.Contains(i) ? random.Next(2) == 1 : v).ToArray()),
            string?[] texts => RawTableColumn.Strings(column.Name, column.Type, Coins(texts, rows, random)),
            double?[] numbers => RawTableColumn.Numbers(column.Name, numbers.Select((v, i) => rows.Contains(i) ? random.Next(2) : v).ToArray()),
            _ => throw new ArgumentException(column.Name),
        };
    }

    private static string?[] Coins(string?[] texts, IReadOnlySet<int> rows, Random random)
    {
        var values = texts.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return texts.Select((v, i) => rows.Contains(i) ? values[random.Next(values.Length)] : v).ToArray();
    }
}
