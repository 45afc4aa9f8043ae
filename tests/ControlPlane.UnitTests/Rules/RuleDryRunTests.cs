using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

/// <summary>What only data shows: a constant or absent label, expressions that give nothing.</summary>
public sealed class RuleDryRunTests
{
    private static RawTable Table(int rows, Func<int, bool?> label, Func<int, string?> queue, Func<int, double?> hours) => new(
    [
        RawTableColumn.Numbers("seats", Enumerable.Range(0, rows).Select(i => (double?)(i % 17)).ToArray()),
        RawTableColumn.Booleans("converted", Enumerable.Range(0, rows).Select(label).ToArray()),
        RawTableColumn.Strings("queue", FeatureType.Category, Enumerable.Range(0, rows).Select(queue).ToArray()),
        RawTableColumn.Numbers("hours", Enumerable.Range(0, rows).Select(hours).ToArray()),
    ]);

    private static RuleSet Rules(LabelRule label, params FeatureRule[] extra) => new()
    {
        Label = label,
        Features = [new FeatureRule { Name = "seats" }, .. extra],
    };

    [Fact]
    public void A_constant_binary_label_is_named_with_its_value_and_the_row_count()
    {
        var table = Table(5000, _ => false, _ => "a", i => i);
        var error = Assert.Single(RuleDryRun.Check(Rules(new LabelRule { Source = "converted" }), TaskType.Binary, table));
        Assert.Equal("label.source", error.Path);
        Assert.Equal("The label 'converted' has only one value ('false') in 5,000 rows; a model needs at least two.", error.Message);
    }

    [Fact]
    public void A_text_label_with_no_known_positive_spelling_hints_at_label_positive()
    {
        var table = Table(40, i => i % 2 == 0, i => i % 2 == 0 ? "won" : "lost", i => i);
        var error = Assert.Single(RuleDryRun.Check(Rules(new LabelRule { Source = "queue" }), TaskType.Binary, table));
        Assert.Equal("The label 'queue' has only one value ('false') in 40 rows; a model needs at least two. If the positive class is spelled differently, list its spellings in label.positive.", error.Message);
        Assert.Empty(RuleDryRun.Check(Rules(new LabelRule { Source = "queue", Positive = ["Won"] }), TaskType.Binary, table));
    }

    [Fact]
    public void A_label_missing_everywhere_is_not_mistaken_for_false()
    {
        var table = Table(300, _ => null, _ => "a", i => i);
        var error = Assert.Single(RuleDryRun.Check(Rules(new LabelRule { Source = "converted" }), TaskType.Binary, table));
        Assert.Equal("The label 'converted' is missing in all 300 rows.", error.Message);
    }

    [Fact]
    public void A_multiclass_label_needs_two_classes_after_mapping()
    {
        var table = Table(200, i => i % 2 == 0, i => i % 2 == 0 ? "BILL" : "billing", i => i);
        var label = new LabelRule { Source = "queue", Values = new Dictionary<string, string> { ["BILL"] = "billing" } };
        var error = Assert.Single(RuleDryRun.Check(Rules(label), TaskType.Multiclass, table));
        Assert.Equal("The label 'queue' has only one class ('billing') in 200 rows; a model needs at least two.", error.Message);
    }

    [Fact]
    public void A_regression_label_missing_everywhere()
    {
        var table = Table(100, i => i % 2 == 0, _ => "a", _ => null);
        var error = Assert.Single(RuleDryRun.Check(Rules(new LabelRule { Source = "hours" }), TaskType.Regression, table));
        Assert.Equal("label.source", error.Path);
        Assert.Equal("The label 'hours' is missing in all 100 rows.", error.Message);
    }

    [Fact]
    public void A_label_expression_that_is_always_false()
    {
        var table = Table(100, i => i % 2 == 0, _ => "a", i => i);
        var error = Assert.Single(RuleDryRun.Check(Rules(new LabelRule { Expression = "hours > 1000" }), TaskType.Binary, table));
        Assert.Equal("label.expression", error.Path);
        Assert.Equal("The label 'label' has only one value ('false') in 100 rows; a model needs at least two.", error.Message);
    }

    [Fact]
    public void An_expression_giving_only_missing_values()
    {
        var table = Table(100, i => i % 2 == 0, _ => "a", _ => null);
        var rules = Rules(new LabelRule { Source = "converted" }, new FeatureRule { Name = "per seat", Expression = "hours / seats" });
        var error = Assert.Single(RuleDryRun.Check(rules, TaskType.Binary, table));
        Assert.Equal("features[per seat].expression", error.Path);
        Assert.Equal("The expression gives a missing value in all 100 rows.", error.Message);
    }

    [Fact]
    public void A_feature_whose_column_is_empty_everywhere()
    {
        var table = Table(100, i => i % 2 == 0, _ => null, i => i);
        var rules = Rules(new LabelRule { Source = "converted" }, new FeatureRule { Name = "team", Source = "queue" });
        var error = Assert.Single(RuleDryRun.Check(rules, TaskType.Binary, table));
        Assert.Equal("features[team].source", error.Path);
        Assert.Equal("Column 'queue' is empty in all 100 rows.", error.Message);
    }

    [Fact]
    public void An_empty_number_column_is_reported_not_thrown()
    {
        var table = Table(50, i => i % 2 == 0, _ => "a", _ => null);
        var rules = Rules(new LabelRule { Source = "converted" }, new FeatureRule { Name = "hours" });
        var error = Assert.Single(RuleDryRun.Check(rules, TaskType.Binary, table));
        Assert.Equal("Column 'hours' is empty in all 50 rows.", error.Message);
    }

    [Fact]
    public void A_binary_label_from_numbers_must_be_zero_or_one()
    {
        var table = Table(100, i => i % 2 == 0, _ => "a", i => i);
        var error = Assert.Single(RuleDryRun.Check(Rules(new LabelRule { Source = "hours" }), TaskType.Binary, table));
        Assert.StartsWith("The label 'hours' holds numbers other than 0 and 1", error.Message);
    }

    [Fact]
    public void Good_data_passes_and_static_errors_come_first()
    {
        var table = Table(100, i => i % 2 == 0, i => i % 3 == 0 ? "x" : "y", i => i);
        Assert.Empty(RuleDryRun.Check(Rules(new LabelRule { Source = "converted" }), TaskType.Binary, table));
        Assert.Empty(RuleDryRun.Check(Rules(new LabelRule { Source = "queue" }), TaskType.Multiclass, table));
        var error = Assert.Single(RuleDryRun.Check(Rules(new LabelRule { Source = "nope" }), TaskType.Binary, table));
        Assert.Equal("label.source", error.Path);
    }
}
