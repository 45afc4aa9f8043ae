using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Xunit.Abstractions;

namespace ControlPlane.UnitTests.Training;

/// <summary>
/// Pooled models: tenants mapped by their own rules onto the use case's canonical columns, one model trained on them,
/// evaluated on a tenant's own test split, and the own-versus-pooled decision with its reason.
/// </summary>
public sealed class PooledModelTests(ITestOutputHelper output)
{
    private static readonly TrainingSettings Settings = DemoTraining.Quick with
    {
        Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true,
    };

    private static readonly RuleDefaults Churn = FeatureRuleService.Defaults(BuiltInUseCases.All().Single(u => u.Key == DemoUseCaseKeys.ChurnRisk));

    [Fact]
    public async Task Tenants_with_their_own_columns_and_units_map_onto_the_same_canonical_columns()
    {
        var northwind = await DemoTraining.LoadAsync("northwind-traders", DemoUseCaseKeys.ChurnRisk, maxRows: 400);
        var contoso = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 400);

        var a = CanonicalTable.From(northwind.Table, northwind.Effective, Churn, Settings);
        var b = CanonicalTable.From(contoso.Table, contoso.Effective, Churn, Settings);

        Assert.Equal(a.Schema, b.Schema);
        Assert.Equal(Churn.Features.Select(f => f.Name).Append(Churn.LabelColumn).Append(Churn.EntityKeyColumn).Append(Churn.EventTimeColumn!),
            a.Schema.Select(c => c.Name));
        Assert.NotEqual(northwind.Table.Schema.Select(c => c.Name), contoso.Table.Schema.Select(c => c.Name));

        // A number comes back in the use case's unit, whatever the tenant's (e.g. cents → dollars).
        foreach (var demo in new[] { northwind, contoso })
        {
            var canonical = demo == northwind ? a : b;
            var spend = demo.Dataset.Column("monthly_spend");
            var raw = (double?[])demo.Table.Columns.Single(c => c.Name == spend.RawName).Values;
            var mapped = (double?[])canonical.Columns.Single(c => c.Name == "monthly_spend").Values;
            var row = Array.FindIndex(raw, v => v is not null);
            Assert.Equal(raw[row]!.Value / spend.RawPerUnit, mapped[row]!.Value, 2);
        }
    }

    [Fact]
    public async Task A_tiny_tenant_is_served_by_the_pooled_model_with_the_reason()
    {
        var tiny = new DemoTenant
        {
            Slug = "tiny-clinic", DisplayName = "Tiny Clinic", Region = "us", UseCaseKeys = [DemoUseCaseKeys.ChurnRisk], Seed = 99, Rows = 120,
        };
        var small = await DemoTraining.LoadAsync(tiny.Slug, DemoUseCaseKeys.ChurnRisk, tenant: tiny);
        var big = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk);
        var smallCanonical = CanonicalTable.From(small.Table, small.Effective, Churn, Settings);
        var pooled = PooledTrainer.Train([CanonicalTable.From(big.Table, big.Effective, Churn, Settings), smallCanonical], Churn, Settings);

        var onSmall = PooledTrainer.EvaluateOn(pooled, smallCanonical, Churn, Settings);
        var decision = PooledDecision.Decide(small.Table.RowCount, minimumRows: 500, own: null, onSmall);
        output.WriteLine(decision.Reason);

        Assert.True(decision.UsePooled);
        Assert.StartsWith("Only 120 labelled rows, fewer than the 500 an own model needs: served by the pooled model (pooled AUC ", decision.Reason);
        Assert.Equal(24, onSmall.Split.TestRows);
    }

    [Fact]
    public async Task A_big_tenant_with_its_own_signal_keeps_its_own_model_and_the_others_compare_on_their_test_split()
    {
        // Contoso's churn label is flipped: its own signal is as strong as ever, but the opposite of the other tenants'.
        var northwind = await DemoTraining.LoadAsync("northwind-traders", DemoUseCaseKeys.ChurnRisk);
        var other = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, tenant: DemoTenants.ContosoHealth with { Seed = 71, Slug = "other-health" });
        var contoso = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk);
        var flipped = contoso with { Effective = contoso.Effective with { Label = Flip(contoso) } };

        var own = flipped.Train(Settings);
        var canonical = CanonicalTable.From(flipped.Table, flipped.Effective, Churn, Settings);
        var pooled = PooledTrainer.Train(
            [CanonicalTable.From(northwind.Table, northwind.Effective, Churn, Settings), CanonicalTable.From(other.Table, other.Effective, Churn, Settings), canonical],
            Churn, Settings);
        var onContoso = PooledTrainer.EvaluateOn(pooled, canonical, Churn, Settings);
        var decision = PooledDecision.Decide(flipped.Table.RowCount, minimumRows: 500, own.Report, onContoso);
        output.WriteLine(decision.Reason);

        // The pooled model is compared on exactly the rows the own model was tested on.
        Assert.Equal(own.Report.Split, onContoso.Split);
        Assert.False(decision.UsePooled);
        Assert.True(own.Report.Test.Auc > onContoso.Metrics.Auc + 0.1, $"own {own.Report.Test.Auc}, pooled {onContoso.Metrics.Auc}");
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Served by its own model: own model AUC {own.Report.Test.Auc:0.###} > pooled {onContoso.Metrics.Auc:0.###} on this tenant's 600 newest rows."),
            decision.Reason);

        // Northwind's own model against the pooled one, on Northwind's test split: whichever wins, the reason says so.
        var northwindOwn = northwind.Train(Settings);
        var onNorthwind = PooledTrainer.EvaluateOn(pooled, CanonicalTable.From(northwind.Table, northwind.Effective, Churn, Settings), Churn, Settings);
        var northwindDecision = PooledDecision.Decide(northwind.Table.RowCount, 500, northwindOwn.Report, onNorthwind);
        output.WriteLine(northwindDecision.Reason);
        Assert.Equal(northwindOwn.Report.Test.Auc < onNorthwind.Metrics.Auc, northwindDecision.UsePooled);
    }

    [Fact]
    public void The_decision_compares_by_the_headline_metric_in_its_direction()
    {
        var split = new SplitSummary(true, 4000, 1000, null, null);
        var own = Report(new ModelMetrics { Headline = "rmse", HeadlineValue = 12.5, HigherIsBetter = false });
        var pooled = new PooledEvaluation(new ModelMetrics { Headline = "rmse", HeadlineValue = 11.2, HigherIsBetter = false }, split);
        var binaryOwn = Report(new ModelMetrics { Headline = "auc", HeadlineValue = 0.71, HigherIsBetter = true });
        var binaryPooled = new PooledEvaluation(new ModelMetrics { Headline = "auc", HeadlineValue = 0.78, HigherIsBetter = true }, split);

        Assert.Equal(new PooledDecision(true, "Served by the pooled model: own model RMSE 12.5 > pooled 11.2 on this tenant's 1,000 newest rows."),
            PooledDecision.Decide(5000, 500, own, pooled));
        Assert.Equal(new PooledDecision(true, "Served by the pooled model: own model AUC 0.71 < pooled 0.78 on this tenant's 1,000 newest rows."),
            PooledDecision.Decide(5000, 500, binaryOwn, binaryPooled));
        Assert.False(PooledDecision.Decide(5000, 500, binaryOwn, binaryPooled with { Metrics = binaryPooled.Metrics with { HeadlineValue = 0.71 } }).UsePooled);
        Assert.True(PooledDecision.Decide(5000, 500, null, binaryPooled).UsePooled);
    }

    private static ModelReport Report(ModelMetrics test) => new()
    {
        Task = test.HigherIsBetter ? ControlPlane.ML.TaskType.Binary : ControlPlane.ML.TaskType.Regression,
        Trainer = TrainerNames.FastTree, Seed = 1, Split = new SplitSummary(true, 4000, 1000, null, null), Test = test,
        PredictionFingerprint = "",
    };

    /// <summary>A label rule giving the opposite class (positive spellings swapped, or an expression negating the flag).</summary>
    private static LabelRule Flip(DemoTraining demo)
    {
        var values = demo.Table.Columns.Single(c => c.Name == demo.LabelColumn).Values;
        return values switch
        {
            string?[] texts => new LabelRule
            {
                Source = demo.LabelColumn,
                Positive = texts.OfType<string>().Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)
                    .Where(t => !(demo.Effective.Label!.Positive ?? ["true", "yes", "y", "1"]).Contains(t, StringComparer.OrdinalIgnoreCase)).ToArray(),
            },
            _ => new LabelRule { Expression = "x => x <= 0", Inputs = [demo.LabelColumn] },
        };
    }
}
