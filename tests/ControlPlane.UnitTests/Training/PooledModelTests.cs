using ControlPlane.ML;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Xunit.Abstractions;

namespace ControlPlane.UnitTests.Training;

/// <summary>
/// Pooled models: tenants mapped by their own rules onto the use case's canonical columns (with the tenant's name), one
/// model trained on them, compared with a tenant's own model on its validation rows, and the own-versus-pooled decision.
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

        var a = CanonicalTable.From(northwind.Table, northwind.Effective, Churn, Settings, "northwind-traders").Holdout;
        var b = CanonicalTable.From(contoso.Table, contoso.Effective, Churn, Settings, "contoso-health").Holdout;

        Assert.Equal(a.Schema, b.Schema);
        Assert.Equal(Churn.Features.Select(f => f.Name).Append(Churn.LabelColumn).Append(Churn.EntityKeyColumn).Append(Churn.EventTimeColumn!)
                .Append(CanonicalTable.TenantColumn),
            a.Schema.Select(c => c.Name));
        Assert.NotEqual(northwind.Table.Schema.Select(c => c.Name), contoso.Table.Schema.Select(c => c.Name));
        Assert.All((string?[])a.Columns.Single(c => c.Name == CanonicalTable.TenantColumn).Values, t => Assert.Equal("northwind-traders", t));

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
    public void A_use_case_whose_date_feature_is_its_event_time_column_pools_its_tenants()
    {
        // As Chicago's daily riders per station: the date is both the event time and a feature; each station names its lag its own way.
        var defaults = new RuleDefaults(TaskType.Regression, "riders", "id", "date",
            [new RuleDefaults.Feature("date", FeatureType.DateTime), new RuleDefaults.Feature("lag", FeatureType.Number)]);
        CanonicalTenant Tenant(string name, string lagColumn, int seed)
        {
            var random = new Random(seed);
            const int n = 200;
            var lag = Enumerable.Range(0, n).Select(_ => (double?)(random.NextDouble() * 10)).ToArray();
            var table = new RawTable([
                RawTableColumn.Strings("id", FeatureType.Category, [.. Enumerable.Range(0, n).Select(i => $"{name}-{i}")]),
                RawTableColumn.DateTimes("date", [.. Enumerable.Range(0, n).Select(i => (DateTime?)new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i))]),
                RawTableColumn.Numbers(lagColumn, lag),
                RawTableColumn.Numbers("riders", [.. lag.Select((l, i) => (double?)((2 * l!.Value) - (i % 7 >= 5 ? 3 : 0) + random.NextDouble()))]),
            ]);
            var effective = RuleInheritance.Effective(defaults, new RuleSet { Features = [new FeatureRule { Name = "lag", Source = lagColumn }] });
            return CanonicalTable.From(table, effective, defaults, Settings, name);
        }

        var a = Tenant("clark-lake", "clark_lake_14d", 1);
        var b = Tenant("belmont", "belmont_14d", 2);

        Assert.Single(a.Served.Columns, c => c.Name == "date");
        Assert.Equal(FeatureType.DateTime, a.Served.Columns.Single(c => c.Name == "date").Type);
        var pooled = PooledTrainer.Train([a, b], defaults, Settings with { Trainers = [TrainerNames.FastTree] });
        Assert.Equal(TaskType.Regression, pooled.Report.Task);
        Assert.True(pooled.Report.Test.HeadlineValue < 3, $"RMSE {pooled.Report.Test.HeadlineValue}: the pool learnt nothing of the lag");
    }

    [Fact]
    public async Task A_tiny_tenant_whose_own_model_does_not_beat_the_pool_beyond_noise_is_served_by_the_pool_with_both_figures()
    {
        var tiny = new DemoTenant
        {
            Slug = "tiny-clinic", DisplayName = "Tiny Clinic", Region = "us", UseCaseKeys = [DemoUseCaseKeys.ChurnRisk], Seed = 99, Rows = 120,
        };
        var small = await DemoTraining.LoadAsync(tiny.Slug, DemoUseCaseKeys.ChurnRisk, tenant: tiny);
        var big = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk);
        var pooled = PooledTrainer.Train(
            [CanonicalTable.From(big.Table, big.Effective, Churn, Settings, "contoso-health"), CanonicalTable.From(small.Table, small.Effective, Churn, Settings, tiny.Slug)],
            Churn, Settings);

        var own = ModelTrainer.Train(small.Table, small.Effective, small.Task, Settings,
            rivals: [PooledTrainer.Rival(pooled, "pool", "pooled v1", small.Effective, Churn, Settings, tiny.Slug)]);
        var decision = PooledDecision.Decide(own.Report, "pool");
        output.WriteLine(decision.Reason);

        var comparison = own.Report.Comparisons.Single(c => c.A == ModelComparison.Own && c.B == "pool");
        Assert.True(decision.UsePooled);
        Assert.Equal(own.Report.Split.ValidationRows, comparison.Difference.Rows);
        Assert.NotEqual(ComparisonVerdict.Better, comparison.Difference.Verdict);
        Assert.StartsWith("Served by pooled v1: ", decision.Reason);
        Assert.Contains($"this tenant's {own.Report.Split.ValidationRows} validation rows", decision.Reason);
    }

    [Fact]
    public async Task A_big_tenant_with_its_own_signal_graduates_to_its_own_model_measured_on_its_validation_rows()
    {
        // Contoso's churn label is flipped: its own signal is as strong as ever, but the opposite of the other tenants'.
        var northwind = await DemoTraining.LoadAsync("northwind-traders", DemoUseCaseKeys.ChurnRisk);
        var other = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, tenant: DemoTenants.ContosoHealth with { Seed = 71, Slug = "other-health" });
        var contoso = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk);
        var flipped = contoso with { Effective = contoso.Effective with { Label = Flip(contoso) } };

        var pooled = PooledTrainer.Train(
            [
                CanonicalTable.From(northwind.Table, northwind.Effective, Churn, Settings, "northwind-traders"),
                CanonicalTable.From(other.Table, other.Effective, Churn, Settings, "other-health"),
                CanonicalTable.From(flipped.Table, flipped.Effective, Churn, Settings, "contoso-health"),
            ],
            Churn, Settings);
        var own = ModelTrainer.Train(flipped.Table, flipped.Effective, flipped.Task, Settings,
            rivals: [PooledTrainer.Rival(pooled, "pool", "pooled v1", flipped.Effective, Churn, Settings, "contoso-health")]);
        var decision = PooledDecision.Decide(own.Report, "pool");
        output.WriteLine(decision.Reason);

        var comparison = own.Report.Comparisons.Single(c => c.B == "pool");
        Assert.False(decision.UsePooled);
        Assert.Equal(ComparisonVerdict.Better, comparison.Difference.Verdict);
        Assert.True(comparison.Difference.Interval!.Low > 0, $"difference interval {comparison.Difference.Interval}");
        Assert.Equal(own.Report.Validation!.HeadlineValue, comparison.Difference.A, 6);
        Assert.StartsWith("Own model graduates: it beats pooled v1 beyond noise on this tenant's", decision.Reason);
        Assert.Contains($"AUC {comparison.Difference.A.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} [", decision.Reason);
    }

    [Theory]
    [InlineData(ComparisonVerdict.Better, false, "Own model graduates: it beats pooled v2 beyond noise on this tenant's 400 validation rows: RMSE 11.2 [10.1, 12.3] against 12.5 [11.3, 13.6]; difference -1.3 [-2.1, -0.4].")]
    [InlineData(ComparisonVerdict.WithinNoise, true, "Served by pooled v2: the own model does not beat it beyond noise on this tenant's 400 validation rows: RMSE 11.2 [10.1, 12.3] against 12.5 [11.3, 13.6]; difference -1.3 [-2.1, -0.4].")]
    [InlineData(ComparisonVerdict.Worse, true, "Served by pooled v2: it beats the own model beyond noise on this tenant's 400 validation rows: RMSE 11.2 [10.1, 12.3] against 12.5 [11.3, 13.6]; difference -1.3 [-2.1, -0.4].")]
    public void The_decision_reads_the_verdict_of_the_paired_comparison_and_quotes_both_figures(ComparisonVerdict verdict, bool pooled, string reason)
    {
        var report = Report([new ModelComparison(ModelComparison.Own, "this version", "p2", "pooled v2", RivalKinds.Pooled,
            new PairedDifference("rmse", 11.2, 12.5, -1.3, new MetricInterval(-2.1, -0.4), verdict, 400), null,
            new MetricInterval(10.1, 12.3), new MetricInterval(11.3, 13.6))]);

        Assert.Equal(new PooledDecision(pooled, reason), PooledDecision.Decide(report, "p2"));
    }

    [Fact]
    public void Where_nothing_can_be_measured_the_pool_serves_and_the_reason_says_why()
    {
        var report = Report([new ModelComparison(ModelComparison.Own, "this version", "p2", "pooled v2", RivalKinds.Pooled,
            new PairedDifference("auc", 0.7, double.NaN, double.NaN, null, ComparisonVerdict.Unmeasured, 9), "All 9 validation rows are negative.")]);

        var decision = PooledDecision.Decide(report, "p2");

        Assert.True(decision.UsePooled);
        Assert.Equal("Served by pooled v2: all 9 validation rows are negative; the pooled model, fitted on more rows, is the safer choice.", decision.Reason);
        Assert.False(PooledDecision.Decide(Report([]), "p2").UsePooled);
    }

    private static ModelReport Report(IReadOnlyList<ModelComparison> comparisons) => new()
    {
        Task = ControlPlane.ML.TaskType.Regression, Trainer = TrainerNames.FastTree, Seed = 1, Split = new SplitSummary(true, 1200, 400, null, null) { ValidationRows = 400 },
        Test = new ModelMetrics { Headline = "rmse", HeadlineValue = 12, HigherIsBetter = false }, PredictionFingerprint = "", Comparisons = comparisons,
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
