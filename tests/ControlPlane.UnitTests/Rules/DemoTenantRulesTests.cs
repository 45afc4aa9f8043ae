using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.UseCases;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

/// <summary>
/// The rule model can express real tenants: the demo seeder's rules (<see cref="DemoRuleSet"/>, from the generator's
/// ground truth: column mapping, unit factors as <c>scale</c>, value spellings as <c>values</c>) check clean against the
/// dataset typed as a version stores it, pass the dry run, and give canonical values.
/// </summary>
public sealed class DemoTenantRulesTests
{
    [Theory]
    [MemberData(nameof(DemoRuleSetTests.DemoEnrollments), MemberType = typeof(DemoRuleSetTests))]
    public async Task Ground_truth_rules_compile_and_give_canonical_values(string tenantSlug, string useCaseKey)
    {
        var dataset = DemoTenants.Get(tenantSlug).Generate(useCaseKey);
        var useCase = BuiltInUseCases.All().Single(u => u.Key == useCaseKey);
        var table = await DemoRawTable.ReadAsync(dataset, maxRows: 1500);
        var effective = RuleInheritance.Effective(FeatureRuleService.Defaults(useCase), DemoRuleSet.For(dataset, table.Schema));

        Assert.Empty(RuleChecker.Check(effective, useCase.TaskType, table.Schema, useCase.DefaultFeatures.Select(f => f.Name).ToArray()));
        Assert.Empty(RuleDryRun.Check(effective, useCase.TaskType, table));

        var preview = RulePreview.Run(effective, useCase.TaskType, table, rows: 200);
        foreach (var feature in useCase.DefaultFeatures.Where(f => dataset.Mapping.ContainsKey(f.Name)))
        {
            var column = dataset.Column(feature.Name);
            var index = dataset.IndexOf(feature.Name);
            for (var row = 0; row < preview.Rows.Count; row++)
            {
                var shown = preview.Rows[row].Features[feature.Name];
                var raw = dataset.Rows[row][index];
                if (feature.Type == FeatureType.Category)
                {
                    Assert.Contains(shown[(feature.Name.Length + 1)..], column.Values.Keys.Append(RuleTestNames.Missing));
                }
                else if (feature.Type == FeatureType.Number && !string.IsNullOrEmpty(raw))
                {
                    var expected = (float)column.ToCanonicalNumber(double.Parse(raw, System.Globalization.CultureInfo.InvariantCulture));
                    Assert.Equal(expected, float.Parse(shown, System.Globalization.CultureInfo.InvariantCulture), Math.Max(0.001f, Math.Abs(expected) * 1e-4f));
                }
            }
        }

        Assert.Contains(preview.Rows, r => r.Label is not null);
    }
}

internal static class RuleTestNames
{
    public const string Missing = "(missing)";
}
