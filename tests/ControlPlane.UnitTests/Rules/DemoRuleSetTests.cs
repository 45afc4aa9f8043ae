using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.UseCases;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

public sealed class DemoRuleSetTests
{
    public static TheoryData<string, string> DemoEnrollments()
    {
        var data = new TheoryData<string, string>();
        foreach (var tenant in DemoTenants.Standard)
        {
            foreach (var useCase in tenant.UseCaseKeys)
            {
                data.Add(tenant.Slug, useCase);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DemoEnrollments))]
    public async Task The_demo_rules_check_clean_against_the_tenants_columns(string slug, string useCase)
    {
        var dataset = DemoTenants.Get(slug).Generate(useCase);
        var columns = await DemoRuleSet.ColumnsAsync(dataset);
        var defaults = Defaults(useCase);

        var rules = RuleJson.Parse(RuleJson.Write(DemoRuleSet.For(dataset, columns)));
        var effective = RuleInheritance.Effective(defaults, rules);

        Assert.Empty(RuleChecker.Check(effective, defaults.Task, columns));
        var raw = columns.Select(c => c.Name).ToHashSet();
        Assert.All(effective.Features, f => Assert.Contains(f.Source ?? f.Name, raw));
        Assert.Contains(effective.EntityKey!, raw);
        Assert.Contains(effective.EventTime!, raw);
        Assert.Contains(effective.Label!.Source ?? effective.Label.Inputs![0], raw);
    }

    [Fact]
    public async Task Units_spellings_and_the_positive_label_come_from_the_ground_truth()
    {
        // Seeds picked so that this tenant writes its spend in cents and spells plan and label its own way.
        var (dataset, columns) = await FindAsync("churn-risk", d => d.Column("monthly_spend").RawPerUnit == 100);
        var rules = DemoRuleSet.For(dataset, columns);

        var spend = rules.Features.Single(f => f.Name == "monthly_spend");
        Assert.Equal(dataset.Column("monthly_spend").RawName, spend.Source);
        Assert.Equal(100, spend.Scale);
        var plan = dataset.Column("plan");
        if (plan.Values.Any(v => v.Key != v.Value))
        {
            var values = rules.Features.Single(f => f.Name == "plan").Values!;
            Assert.All(plan.Values.Where(v => v.Key != v.Value), v => Assert.Equal(v.Key, values[v.Value]));
        }

        var labelType = columns.Single(c => c.Name == dataset.Label.RawName).Type;
        Assert.Equal(dataset.Label.RawName, rules.Label!.Source);
        Assert.Equal(labelType == FeatureType.Category ? [dataset.Label.Values["true"]] : null, rules.Label.Positive);
    }

    [Fact]
    public async Task A_label_in_other_units_is_derived_by_an_expression()
    {
        var (dataset, columns) = await FindAsync("resolution-time", d => d.Label.RawPerUnit == 60);

        var label = DemoRuleSet.For(dataset, columns).Label!;

        Assert.Null(label.Source);
        Assert.Equal("x => x / 60", label.Expression);
        Assert.Equal([dataset.Label.RawName], label.Inputs);
    }

    private static async Task<(DemoDataset, IReadOnlyList<RawColumn>)> FindAsync(string useCase, Func<DemoDataset, bool> wanted)
    {
        for (var seed = 1; seed < 200; seed++)
        {
            var dataset = DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = $"t{seed}", Seed = seed, Rows = 200 });
            if (wanted(dataset))
            {
                return (dataset, await DemoRuleSet.ColumnsAsync(dataset));
            }
        }

        throw new InvalidOperationException($"No generated {useCase} tenant has the wanted shape.");
    }

    private static RuleDefaults Defaults(string useCase) => FeatureRuleService.Defaults(BuiltInUseCases.All().Single(u => u.Key == useCase));
}
