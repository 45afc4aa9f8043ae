using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

/// <summary>Static errors point at the exact rule and field, say what is wrong, and all of them come back at once.</summary>
public sealed class RuleCheckerTests
{
    private static readonly IReadOnlyList<RawColumn> Columns = RuleTables.Synthetic(5).Schema;

    private static RuleSet Rules(params FeatureRule[] features) => new()
    {
        Label = new LabelRule { Source = "churned" },
        EntityKey = "Account Id",
        EventTime = "Signed Up",
        Features = features.Length == 0 ? [new FeatureRule { Name = "seats", Source = "Seats" }] : features,
    };

    private static RuleError Single(RuleSet rules, TaskType task = TaskType.Binary) =>
        Assert.Single(RuleChecker.Check(rules, task, Columns));

    [Fact]
    public void Valid_rules_have_no_errors()
    {
        Assert.Empty(RuleChecker.Check(Rules(
            new FeatureRule { Name = "seats", Source = "Seats", Scale = 10, Clip = new ClipRule { Min = 0, Max = 50 } },
            new FeatureRule { Name = "plan", MaxCategories = 3 },
            new FeatureRule { Name = "ratio", Expression = "Monthly_Spend / seats" }), TaskType.Binary, Columns));
    }

    [Theory]
    [InlineData(100_000, "at most 2,000 characters; this one has 200,013")]
    [InlineData(900, "nest at most 32 parentheses deep; this one nests 900")]
    [InlineData(33, "nest at most 32 parentheses deep; this one nests 33")]
    public void An_expression_nested_too_deep_is_refused_before_any_parser_sees_it(int depth, string message)
    {
        // 100,000 parentheses overflowed ML.NET's recursive parser and killed the process.
        var expression = new string('(', depth) + "Monthly_Spend" + new string(')', depth);

        var error = Single(Rules(new FeatureRule { Name = "deep", Expression = expression }));

        Assert.Equal("features[deep].expression", error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Expressions_too_long_or_with_long_runs_of_signs_are_refused_and_a_deep_enough_one_still_compiles()
    {
        var longOne = Single(Rules(new FeatureRule { Name = "long", Expression = string.Join(" + ", Enumerable.Repeat("Monthly_Spend", 200)) }));
        Assert.Equal("features[long].expression", longOne.Path);
        Assert.StartsWith("An expression may be at most 2,000 characters; this one has 3,",longOne.Message);

        var signs = Single(Rules(new FeatureRule { Name = "signs", Expression = new string('-', 900) + "Monthly_Spend" }));
        Assert.Contains("at most 16 signs (-, +, !) in a row; this one chains 900", signs.Message);

        // Within the limits: 32 levels, and quoted text with parentheses in it is not nesting.
        Assert.Empty(RuleChecker.Check(Rules(
            new FeatureRule { Name = "ok", Expression = new string('(', 32) + "Monthly_Spend" + new string(')', 32) },
            new FeatureRule { Name = "quoted", Expression = "Monthly_Spend > 0 ? \"((((((((((((((((((((((((((((((((((\" : \"no\"" }), TaskType.Binary, Columns));
    }

    [Fact]
    public void A_missing_source_column_suggests_the_closest_name()
    {
        var error = Single(Rules(new FeatureRule { Name = "seats", Source = "seats" }));
        Assert.Equal("features[seats].source", error.Path);
        Assert.Equal("There is no column 'seats'. Did you mean 'Seats'?", error.Message);
    }

    [Fact]
    public void An_unmapped_feature_with_no_column_of_its_name_says_to_map_or_drop_it_and_lists_the_columns()
    {
        var error = Single(Rules(new FeatureRule { Name = "nps_score" }));
        Assert.Equal("features[nps_score].source", error.Path);
        Assert.StartsWith(
            "Feature 'nps_score' has no source, so it reads a column of its own name, and the data has none: set its source to the tenant's column, or drop it. The columns are 'Account Id', 'Seats', 'Monthly Spend'",
            error.Message);
    }

    [Fact]
    public void Missing_label_entity_key_and_event_time_are_each_reported()
    {
        var errors = RuleChecker.Check(Rules() with
        {
            Label = new LabelRule { Source = "churn" },
            EntityKey = "account_id",
            EventTime = "signup",
        }, TaskType.Binary, Columns);
        Assert.Equal(["label.source", "entityKey", "eventTime"], errors.Select(e => e.Path));
        Assert.Equal("There is no column 'churn'. Did you mean 'churned'?", errors[0].Message);
        Assert.Equal("There is no column 'account_id'. Did you mean 'Account Id'?", errors[1].Message);
    }

    [Fact]
    public void A_drop_naming_neither_a_column_nor_a_use_case_feature_is_an_error()
    {
        var rules = Rules() with { Drop = ["notes", "nps_score", "Seets"] };
        var errors = RuleChecker.Check(rules, TaskType.Binary, Columns, inheritedFeatures: ["nps_score", "seats"]);
        var error = Assert.Single(errors);
        Assert.Equal("drop[2]", error.Path);
        Assert.Equal("'Seets' is neither a raw column nor a feature of this use case. Did you mean 'Seats'?", error.Message);
    }

    [Fact]
    public void A_rule_reading_a_dropped_column_is_an_error()
    {
        var error = Single(Rules(new FeatureRule { Name = "seats", Source = "Seats" }) with { Drop = ["Seats"] });
        Assert.Equal("features[seats].source", error.Path);
        Assert.Equal("Column 'Seats' is dropped (drop[0]) and cannot be used.", error.Message);
    }

    [Fact]
    public void Features_cannot_read_the_label_or_the_entity_key()
    {
        var errors = RuleChecker.Check(Rules(
            new FeatureRule { Name = "leak", Source = "churned" },
            new FeatureRule { Name = "id", Source = "Account Id" },
            new FeatureRule { Name = "sneaky", Expression = "churned and Seats > 3" }), TaskType.Binary, Columns);
        Assert.Equal(["features[leak].source", "features[id].source", "features[sneaky].expression"], errors.Select(e => e.Path));
        Assert.Equal("Column 'churned' is the label; a feature cannot read it.", errors[0].Message);
        Assert.Equal("Column 'Account Id' is the entity key; a feature cannot read it.", errors[1].Message);
        Assert.Equal("'churned' is the label; a feature cannot read it.", errors[2].Message);
    }

    [Fact]
    public void Text_featurization_of_a_number_is_refused()
    {
        var error = Single(Rules(new FeatureRule { Name = "seats", Source = "Seats", Type = FeatureType.Text }));
        Assert.Equal("features[seats].source", error.Path);
        Assert.StartsWith("Column 'Seats' gives numbers, which cannot be a text feature.", error.Message);
    }

    [Fact]
    public void A_number_feature_from_a_category_is_refused()
    {
        var error = Single(Rules(new FeatureRule { Name = "plan", Type = FeatureType.Number }));
        Assert.Equal("features[plan].source", error.Path);
        Assert.StartsWith("Column 'plan' gives categories, which cannot be a number feature.", error.Message);
    }

    [Fact]
    public void An_expression_that_does_not_parse_names_the_rule()
    {
        var error = Single(Rules(new FeatureRule { Name = "ratio", Expression = "Seats / (Monthly_Spend" }));
        Assert.Equal("features[ratio].expression", error.Path);
        Assert.StartsWith("The expression 'Seats / (Monthly_Spend' does not compile: parsing failed", error.Message);
    }

    [Fact]
    public void An_expression_mixing_text_and_numbers_names_the_column()
    {
        var error = Single(Rules(new FeatureRule { Name = "odd", Expression = "Seats + plan" }));
        Assert.Equal("features[odd].expression", error.Path);
        Assert.Equal("The expression 'Seats + plan' does not compile: binding failed: at 'plan': Invalid numeric operand.", error.Message);
    }

    [Fact]
    public void An_unknown_name_in_an_expression_is_reported_once_with_a_suggestion()
    {
        var error = Single(Rules(new FeatureRule { Name = "ratio", Expression = "Seat / Seat" }));
        Assert.Equal("features[ratio].expression", error.Path);
        Assert.Equal("Unknown name 'Seat' in the expression: there is no column or earlier feature of that name. Did you mean 'Seats'?", error.Message);
    }

    [Fact]
    public void A_lambda_without_inputs_and_inputs_naming_missing_columns()
    {
        var errors = RuleChecker.Check(Rules(
            new FeatureRule { Name = "a", Expression = "(x) => x * 2" },
            new FeatureRule { Name = "b", Expression = "(x, y) => x * y", Inputs = ["Seats", "Spend"] }), TaskType.Binary, Columns);
        Assert.Equal(["features[a].inputs", "features[b].inputs[1]"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Bucket_bounds_must_ascend_and_clip_min_must_not_exceed_max()
    {
        var errors = RuleChecker.Check(Rules(new FeatureRule
        {
            Name = "seats", Source = "Seats", Transform = NumberTransform.Bucketize, Buckets = [10, 100, 50],
            Clip = new ClipRule { Min = 5, Max = 1 },
        }), TaskType.Binary, Columns);
        Assert.Equal(["features[seats].clip", "features[seats].buckets[2]"], errors.Select(e => e.Path));
        Assert.Equal("Clip min (5) is greater than max (1).", errors[0].Message);
        Assert.Equal("Bucket bounds must be ascending: 50 comes after 100.", errors[1].Message);
    }

    [Fact]
    public void Max_categories_below_two_is_refused()
    {
        var error = Single(Rules(new FeatureRule { Name = "plan", MaxCategories = 1 }));
        Assert.Equal("features[plan].maxCategories", error.Path);
        Assert.Equal("maxCategories must be at least 2; got 1.", error.Message);
    }

    [Fact]
    public void Fields_for_another_type_are_refused()
    {
        var errors = RuleChecker.Check(Rules(new FeatureRule { Name = "plan", Scale = 60, DateParts = [DatePart.Hour] }), TaskType.Binary, Columns);
        Assert.Equal(["features[plan].scale", "features[plan].dateParts"], errors.Select(e => e.Path));
        Assert.Equal("'scale' applies to numbers; 'plan' is a category feature.", errors[0].Message);
    }

    [Fact]
    public void A_text_label_cannot_train_a_regression()
    {
        var error = Single(Rules() with { Label = new LabelRule { Source = "queue" } }, TaskType.Regression);
        Assert.Equal("label.source", error.Path);
        Assert.Equal("Column 'queue' holds categories; a regression task needs a number label.", error.Message);
    }

    [Fact]
    public void A_binary_label_expression_must_give_true_or_false()
    {
        var error = Single(Rules() with { Label = new LabelRule { Expression = "lower(plan)" } });
        Assert.Equal("label.expression", error.Path);
    }

    [Fact]
    public void All_errors_are_collected_not_only_the_first()
    {
        var errors = RuleChecker.Check(new RuleSet
        {
            Label = new LabelRule { Source = "nope" },
            Features =
            [
                new FeatureRule { Name = "a", Source = "missing" },
                new FeatureRule { Name = "b", Expression = "Seats +" },
                new FeatureRule { Name = "c", Source = "plan", MaxCategories = 0 },
            ],
        }, TaskType.Binary, Columns);
        Assert.Equal(["features[a].source", "features[b].expression", "features[c].maxCategories", "label.source"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Compile_throws_every_error_the_checker_finds()
    {
        var rules = Rules(new FeatureRule { Name = "a", Source = "missing" }, new FeatureRule { Name = "b", Source = "plan", MaxCategories = 1 });
        var ex = Assert.Throws<RuleSetException>(() => RuleCompiler.Compile(rules, TaskType.Binary, Columns));
        Assert.Equal(RuleChecker.Check(rules, TaskType.Binary, Columns), ex.Errors);
    }
}
