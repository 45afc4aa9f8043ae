using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

/// <summary>How expression bodies find their columns: identifiers, not function names, string contents or with-locals.</summary>
public sealed class RuleExpressionTests
{
    private static readonly RawTable Table = RuleTables.Synthetic(120);

    private static List<float[]> Features(params FeatureRule[] features) => RuleTables.Vectors(
        RuleRoundTrip.Run(new RuleSet { Label = new LabelRule { Source = "churned" }, Features = features }, TaskType.Binary, Table),
        RuleCompiler.FeaturesColumn);

    private static T[] Raw<T>(string column) => (T[])Table.Columns.Single(c => c.Name == column).Values;

    [Fact]
    public void Text_comparisons_give_boolean_features()
    {
        var values = Features(new FeatureRule { Name = "enterprise", Expression = "plan = \"ENT\" or lower(plan) = \"team\"" });
        var plans = Raw<string?>("plan");
        Assert.Equal(plans.Select(p => p is "ENT" or "team" ? 1f : 0f), values.Select(v => v[0]));
    }

    [Fact]
    public void Function_names_string_contents_and_with_locals_are_not_columns()
    {
        // "plan" inside the string, "max" and "float" as functions and "r" as a with-local must not be read as columns.
        var values = Features(new FeatureRule
        {
            Name = "capped ratio",
            Expression = "with(r = Monthly_Spend / max(Seats, 1f); isna(r) ? 0f : float(r > 100 ? 100 : r)) + (len(\"plan\") - 4)",
        });
        var seats = Raw<double?>("Seats");
        var spend = Raw<double?>("Monthly Spend");
        for (var i = 0; i < seats.Length; i++)
        {
            var r = spend[i] is { } m && seats[i] is { } s ? (float)m / Math.Max((float)s, 1f) : float.NaN;
            Assert.Equal(float.IsNaN(r) ? 0f : Math.Min(r, 100f), values[i][0], 3);
        }
    }

    [Fact]
    public void A_category_can_be_derived_from_text()
    {
        var values = Features(new FeatureRule { Name = "plan lower", Expression = "lower(plan)" });
        Assert.All(values, v => Assert.Equal(1f, v.Sum()));
        Assert.Equal(5, values[0].Length);
    }

    [Fact]
    public void Names_match_ignoring_case_when_unambiguous()
    {
        var values = Features(new FeatureRule { Name = "half", Expression = "monthly_spend / 2", Impute = new ImputeRule { Strategy = ImputeStrategy.Zero } });
        var spend = Raw<double?>("Monthly Spend");
        Assert.Equal(spend.Select(m => m is { } v ? (float)v / 2 : 0f), values.Select(v => v[0]));
    }

    [Fact]
    public void A_label_can_be_an_explicit_lambda_over_named_inputs()
    {
        var rules = new RuleSet
        {
            Label = new LabelRule { Expression = "(d, s) => d > 15 and not isna(s)", Inputs = ["hours", "Seats"] },
            Features = [new FeatureRule { Name = "plan" }],
        };
        var labels = RuleTables.Column(RuleRoundTrip.Run(rules, TaskType.Binary, Table), RuleCompiler.LabelColumn);
        var hours = Raw<double?>("hours");
        var seats = Raw<double?>("Seats");
        Assert.Equal(hours.Select((h, i) => h > 15 && seats[i] is not null ? "true" : "false"), labels);
    }

    [Fact]
    public void A_number_column_can_be_one_hot_encoded_as_a_category()
    {
        var rules = new RuleSet
        {
            Label = new LabelRule { Source = "churned" },
            Features = [new FeatureRule { Name = "hour", Expression = "floor(hours / 12)", Type = FeatureType.Category }],
        };
        var fitted = RuleCompiler.Compile(rules, TaskType.Binary, Table.Schema).Fit(Table);
        Assert.Equal(["hour=0", "hour=1", "hour=2", "hour=3", "hour=4"], fitted.Slots.Select(s => s.Name));
        RuleRoundTrip.Run(rules, TaskType.Binary, Table);
    }

    [Fact]
    public void An_expression_reading_too_many_columns_is_refused()
    {
        var rules = new RuleSet
        {
            Label = new LabelRule { Source = "churned" },
            Features = [new FeatureRule { Name = "sum", Expression = "Seats + Monthly_Spend + hours + is_active + len(queue) + Seats * 2 + len(plan)" }],
        };
        var error = Assert.Single(RuleChecker.Check(rules, TaskType.Binary, Table.Schema));
        Assert.Equal("features[sum].expression", error.Path);
        Assert.StartsWith("The expression reads 6 columns; ML.NET expressions take at most 5.", error.Message);
    }
}
