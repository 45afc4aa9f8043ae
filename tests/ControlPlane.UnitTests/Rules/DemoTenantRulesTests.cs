using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.UseCases;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

/// <summary>
/// The rule model can express real tenants: rules written from the demo generator's ground truth (its column mapping,
/// unit factors as <c>scale</c>, value spellings as <c>values</c>) check clean, pass the dry run, and give canonical
/// values.
/// </summary>
public sealed class DemoTenantRulesTests
{
    public static TheoryData<string, string> Datasets()
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
    [MemberData(nameof(Datasets))]
    public void Ground_truth_rules_compile_and_give_canonical_values(string tenantSlug, string useCaseKey)
    {
        var dataset = DemoTenants.Get(tenantSlug).Generate(useCaseKey);
        var useCase = BuiltInUseCases.All().Single(u => u.Key == useCaseKey);
        var table = RuleTables.FromDemo(dataset, maxRows: 1500);
        var effective = RuleInheritance.Effective(FeatureRuleService.Defaults(useCase), GroundTruth(dataset, useCase));

        Assert.Empty(RuleChecker.Check(effective, useCase.TaskType, table.Schema));
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

    /// <summary>A tenant's overrides written from the generator's ground truth.</summary>
    private static RuleSet GroundTruth(DemoDataset dataset, UseCase useCase)
    {
        static Dictionary<string, string>? Spellings(DemoColumn column) =>
            column.Values.Count == 0 ? null : column.Values.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

        var features = new List<FeatureRule>();
        var drop = new List<string>();
        foreach (var feature in useCase.DefaultFeatures)
        {
            if (!dataset.Mapping.TryGetValue(feature.Name, out var raw))
            {
                drop.Add(feature.Name);
                continue;
            }

            var column = dataset.Column(feature.Name);
            features.Add(new FeatureRule
            {
                Name = feature.Name,
                Source = raw,
                Scale = column.RawPerUnit != 1 && feature.Type == FeatureType.Number ? column.RawPerUnit : null,
                Values = feature.Type is FeatureType.Category or FeatureType.Boolean ? Spellings(column) : null,
            });
        }

        var label = dataset.Label;
        return new RuleSet
        {
            Label = useCase.TaskType switch
            {
                TaskType.Binary => new LabelRule { Source = label.RawName, Positive = [label.Values["true"]] },
                TaskType.Multiclass => new LabelRule { Source = label.RawName, Values = Spellings(label) },
                _ when label.RawPerUnit != 1 => new LabelRule
                {
                    Expression = $"x => x / {label.RawPerUnit.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                    Inputs = [label.RawName],
                },
                _ => new LabelRule { Source = label.RawName },
            },
            EntityKey = dataset.EntityKey.RawName,
            EventTime = dataset.EventTime.RawName,
            Features = features,
            Drop = drop,
        };
    }
}

internal static class RuleTestNames
{
    public const string Missing = "(missing)";
}
