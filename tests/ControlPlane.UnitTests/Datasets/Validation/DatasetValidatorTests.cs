using System.Globalization;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Core.Options;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using static ControlPlane.UnitTests.Datasets.Validation.ValidationTables;

namespace ControlPlane.UnitTests.Datasets.Validation;

public class DatasetValidatorTests
{
    private static readonly string[] Header = ["id", "at", "y", "spend"];

    private static string?[][] Clean(int n, Func<int, string?>? label = null, Func<int, string?>? spend = null) =>
        Enumerable.Range(0, n).Select(i => Row($"k{i}", $"2024-01-{1 + i % 28:00}", label?.Invoke(i) ?? (i % 2 == 0 ? "yes" : "no"),
            spend is null ? (i * 1.5).ToString(CultureInfo.InvariantCulture) : spend(i))).ToArray();

    [Fact]
    public async Task A_clean_binary_table_passes_and_the_report_lists_every_check()
    {
        var report = await ValidateAsync(Header, Clean(20), ValidationTables.Rules(features: "spend"), TaskType.Binary);

        Assert.Equal(ValidationOutcomes.Passed, report.Outcome);
        Assert.Empty(report.Issues);
        Assert.Equal(
            [ValidationCodes.Rows, ValidationCodes.Columns, ValidationCodes.Label, ValidationCodes.Duplicates, ValidationCodes.Times, ValidationCodes.Nulls, ValidationCodes.Types],
            report.Passed.Select(p => p.Code));
        Assert.Contains("All 4 columns the rules read are present.", report.Passed.Select(p => p.Message));
        Assert.EndsWith("passed.", report.ToText());
    }

    [Fact]
    public async Task Too_few_rows_block_with_both_figures()
    {
        var report = await ValidateAsync(Header, Clean(20), ValidationTables.Rules(features: "spend"), TaskType.Binary, new ValidationOptions { MinRows = 100 });

        var issue = Assert.Single(report.Issues);
        Assert.Equal((ValidationCodes.Rows, ValidationSeverity.Blocking), (issue.Code, issue.Severity));
        Assert.Equal("The dataset has 20 rows; at least 100 are needed.", issue.Message);
        Assert.Equal(ValidationOutcomes.Blocked, report.Outcome);
    }

    [Fact]
    public async Task A_missing_mapped_column_blocks_naming_its_role_and_a_near_spelling()
    {
        var rules = ValidationTables.Rules(features: "spend") with
        {
            Features = [new FeatureRule { Name = "monthly_spend", Source = "Spend" }, new FeatureRule { Name = "seats", Source = "Seats" }],
        };

        var report = await ValidateAsync(Header, Clean(20), rules, TaskType.Binary);

        var issues = report.Issues.Where(i => i.Code == ValidationCodes.Columns).ToArray();
        Assert.Equal(["Spend", "Seats"], issues.Select(i => i.Column));
        Assert.All(issues, i => Assert.Equal(ValidationSeverity.Blocking, i.Severity));
        Assert.Equal("Column 'Spend' (feature monthly_spend) is not in the dataset (there is a column 'spend': names are case-sensitive).", issues[0].Message);
        Assert.Equal("Column 'Seats' (feature seats) is not in the dataset.", issues[1].Message);
    }

    [Theory]
    [InlineData(new[] { "yes", "no" }, null)]
    [InlineData(new[] { "1", "0" }, null)]
    [InlineData(new[] { "won", "lost" }, null)]
    [InlineData(new[] { "won", "lost", "open" }, "has 3 distinct values")]
    [InlineData(new[] { "won" }, "it is constant ('won')")]
    [InlineData(new[] { "0", "1", "2", "1.5", "3", "4", "5", "6", "7", "8", "9", "10" }, "holds numbers other than 0 and 1")]
    public async Task A_binary_label_needs_exactly_two_outcomes(string[] spellings, string? problem)
    {
        var report = await ValidateAsync(Header, Clean(24, i => spellings[i % spellings.Length]), ValidationTables.Rules(features: "spend"), TaskType.Binary);

        var issue = report.Issues.SingleOrDefault(i => i.Code == ValidationCodes.Label);
        if (problem is null) Assert.Null(issue);
        else
        {
            Assert.NotNull(issue);
            Assert.Equal(ValidationSeverity.Blocking, issue.Severity);
            Assert.Contains(problem, issue.Message);
            Assert.Equal("y", issue.Column);
        }
    }

    [Fact]
    public async Task Positive_spellings_make_a_binary_label_of_many_values_unless_none_match()
    {
        string[] spellings = ["won", "won-late", "lost", "open"];
        var rows = Clean(24, i => spellings[i % 4]);
        var withPositive = ValidationTables.Rules(features: "spend") with { Label = new LabelRule { Source = "y", Positive = ["won", "won-late"] } };
        var noneMatch = ValidationTables.Rules(features: "spend") with { Label = new LabelRule { Source = "y", Positive = ["Won"] } };

        var passed = await ValidateAsync(Header, rows, withPositive, TaskType.Binary);
        var blocked = await ValidateAsync(Header, rows, noneMatch, TaskType.Binary);

        Assert.Contains("Label 'y' is binary: 12 positive rows, 12 others.", passed.Passed.Select(p => p.Message));
        var issue = Assert.Single(blocked.Issues);
        Assert.StartsWith("Label column 'y' is constant for a binary task: no value matches the positive spellings 'Won'", issue.Message);
    }

    [Fact]
    public async Task A_multiclass_label_needs_two_classes_and_warns_about_small_ones()
    {
        var rows = Clean(30, i => i < 27 ? (i % 2 == 0 ? "billing" : "tech") : "legal");
        var one = await ValidateAsync(Header, Clean(30, _ => "billing"), ValidationTables.Rules(features: "spend"), TaskType.Multiclass);
        var small = await ValidateAsync(Header, rows, ValidationTables.Rules(features: "spend"), TaskType.Multiclass, new ValidationOptions { MinRows = 1, MinRowsPerClass = 5 });

        Assert.Contains("needs at least two", Assert.Single(one.Issues).Message);
        var warning = Assert.Single(small.Issues);
        Assert.Equal((ValidationCodes.SmallClass, ValidationSeverity.Warning), (warning.Code, warning.Severity));
        Assert.Equal("1 of 3 classes in label 'y' have fewer than 5 rows: 'legal' (3); the model will rarely predict them.", warning.Message);
        Assert.Equal(ValidationOutcomes.Warnings, small.Outcome);
        Assert.Contains("Label 'y' has 3 classes.", small.Passed.Select(p => p.Message));
    }

    [Fact]
    public async Task A_multiclass_label_counts_classes_after_the_rules_value_mapping()
    {
        var rows = Clean(30, i => (i % 3) switch { 0 => "Billing", 1 => "billing", _ => "BILLING" });
        var rules = ValidationTables.Rules(features: "spend") with
        {
            Label = new LabelRule { Source = "y", Values = new Dictionary<string, string> { ["Billing"] = "billing", ["BILLING"] = "billing" } },
        };

        var report = await ValidateAsync(Header, rows, rules, TaskType.Multiclass);

        Assert.Contains("has 1 class ('billing')", Assert.Single(report.Issues).Message);
    }

    [Fact]
    public async Task A_regression_label_must_be_numeric_and_vary()
    {
        var text = await ValidateAsync(Header, Clean(20), ValidationTables.Rules(features: "spend"), TaskType.Regression);
        var constant = await ValidateAsync(Header, Clean(20, _ => "4.5"), ValidationTables.Rules(features: "spend"), TaskType.Regression);
        var good = await ValidateAsync(Header, Clean(20, i => (i * 0.25).ToString(CultureInfo.InvariantCulture)), ValidationTables.Rules(features: "spend"), TaskType.Regression);

        Assert.Equal("Label column 'y' is boolean, not numbers; a regression label must be numeric.", Assert.Single(text.Issues).Message);
        Assert.Equal("Label column 'y' is constant (4.5); a regression label must vary.", Assert.Single(constant.Issues).Message);
        Assert.Contains("Label 'y' is numeric, from 0 to 4.75.", good.Passed.Select(p => p.Message));
    }

    [Fact]
    public async Task A_label_from_an_expression_needs_its_input_columns_only()
    {
        var present = ValidationTables.Rules(features: "spend") with { Label = new LabelRule { Expression = "spend > 15" } };
        var missing = ValidationTables.Rules(features: "spend") with { Label = new LabelRule { Expression = "(d) => d > 15", Inputs = ["delay"] } };

        var ok = await ValidateAsync(Header, Clean(20), present, TaskType.Binary);
        var blocked = await ValidateAsync(Header, Clean(20), missing, TaskType.Binary);

        Assert.Equal(ValidationOutcomes.Passed, ok.Outcome);
        Assert.Contains(ok.Passed, p => p.Code == ValidationCodes.Label && p.Message.Contains("'spend > 15'"));
        Assert.Equal("Column 'delay' (label expression) is not in the dataset.", Assert.Single(blocked.Issues).Message);
    }

    [Fact]
    public async Task A_feature_expression_needs_its_raw_columns_but_not_the_features_defined_before_it()
    {
        var rules = ValidationTables.Rules() with
        {
            Features =
            [
                new FeatureRule { Name = "spend_usd", Source = "spend" },
                new FeatureRule { Name = "per_seat", Expression = "spend_usd / seats" },
                new FeatureRule { Name = "ratio", Expression = "(a, b) => a / b", Inputs = ["per_seat", "Mrr Cents"] },
            ],
        };

        var report = await ValidateAsync(Header, Clean(20), rules, TaskType.Binary);

        Assert.Equal(
            ["Column 'seats' (feature per_seat) is not in the dataset.", "Column 'Mrr Cents' (feature ratio) is not in the dataset."],
            report.Issues.Select(i => i.Message));
    }

    [Fact]
    public async Task Empty_cells_warn_above_the_first_limit_and_block_above_the_second()
    {
        var rows = Enumerable.Range(0, 50).Select(i => Row($"k{i}", "2024-01-01", i % 2 == 0 ? "yes" : "no",
            i < 31 ? null : "3", i < 15 ? null : "a")).ToArray();
        var rules = ValidationTables.Rules() with { Features = [new FeatureRule { Name = "monthly_spend", Source = "Mrr Cents" }, new FeatureRule { Name = "plan", Source = "Plan" }] };

        var report = await ValidateAsync(["id", "at", "y", "Mrr Cents", "Plan"], rows, rules, TaskType.Binary);

        var nulls = report.Issues.Where(i => i.Code == ValidationCodes.Nulls).ToArray();
        Assert.True(nulls.Length == 2, report.ToText());
        Assert.Equal((ValidationSeverity.Blocking, "Column 'Mrr Cents' (feature monthly_spend) is 62.0 % empty, above the 50.0 % limit. State an imputation for the feature in its rules to train on it anyway."), (nulls[0].Severity, nulls[0].Message));
        Assert.Equal((ValidationSeverity.Warning, "Column 'Plan' (feature plan) is 30.0 % empty; above 20.0 % a column warns, above 50.0 % it blocks."), (nulls[1].Severity, nulls[1].Message));
    }

    [Fact]
    public async Task An_enrollment_limit_judges_emptiness_and_every_message_gives_its_reason()
    {
        var rows = Enumerable.Range(0, 50).Select(i => Row($"k{i}", "2024-01-01", i % 2 == 0 ? "yes" : "no",
            i < 31 ? null : "3", i < 45 ? null : "a")).ToArray();
        var rules = ValidationTables.Rules() with { Features = [new FeatureRule { Name = "monthly_spend", Source = "Mrr Cents" }, new FeatureRule { Name = "plan", Source = "Plan" }] };
        var own = new ValidationOptions { MinRows = 1 }.WithNullRateBlocking(0.8);
        const string Reason = "the old CRM left spend empty before 2024";

        var report = await ValidationTables.ValidateAsync(["id", "at", "y", "Mrr Cents", "Plan"], rows, rules, TaskType.Binary, own, ownLimitReason: Reason);

        var nulls = report.Issues.Where(i => i.Code == ValidationCodes.Nulls).ToDictionary(i => i.Column!);
        Assert.Equal((ValidationSeverity.Warning, $"Column 'Mrr Cents' (feature monthly_spend) is 62.0 % empty; above 20.0 % a column warns, above 80.0 % it blocks (the limit set for this enrollment: {Reason})."),
            (nulls["Mrr Cents"].Severity, nulls["Mrr Cents"].Message));
        Assert.Equal((ValidationSeverity.Blocking, $"Column 'Plan' (feature plan) is 90.0 % empty, above the 80.0 % limit set for this enrollment ({Reason}). " +
            "State an imputation for the feature in its rules to train on it anyway."), (nulls["Plan"].Severity, nulls["Plan"].Message));

        // A limit below the warning level pulls the warning down with it: nothing above the limit passes silently.
        var strict = new ValidationOptions { MinRows = 1 }.WithNullRateBlocking(0.1);
        Assert.Equal((0.1, 0.1), (strict.NullRateWarning, strict.NullRateBlocking));
    }

    [Fact]
    public async Task A_column_the_rules_impute_warns_instead_of_blocking_unless_something_else_reads_it()
    {
        var rows = Enumerable.Range(0, 50).Select(i => Row($"k{i}", "2024-01-01", i % 2 == 0 ? "yes" : "no", i < 31 ? null : "3", "a")).ToArray();
        var imputed = ValidationTables.Rules() with
        {
            Features = [new FeatureRule { Name = "monthly_spend", Source = "Mrr Cents", Impute = new ImputeRule { Strategy = ImputeStrategy.Constant, Value = "0" } }],
        };
        var nulls = (await ValidateAsync(["id", "at", "y", "Mrr Cents", "Plan"], rows, imputed, TaskType.Binary)).Issues.Single(i => i.Code == ValidationCodes.Nulls);
        Assert.Equal((ValidationSeverity.Warning,
                "Column 'Mrr Cents' (feature monthly_spend) is 62.0 % empty, above the 50.0 % limit, but the rules fill its empty cells (constant 0): a warning, not a block."),
            (nulls.Severity, nulls.Message));

        // A second feature reading the same column without an imputation keeps the block.
        var mixed = imputed with { Features = [.. imputed.Features, new FeatureRule { Name = "spend_again", Source = "Mrr Cents" }] };
        var blocked = (await ValidateAsync(["id", "at", "y", "Mrr Cents", "Plan"], rows, mixed, TaskType.Binary)).Issues.Single(i => i.Code == ValidationCodes.Nulls);
        Assert.Equal(ValidationSeverity.Blocking, blocked.Severity);
    }

    [Fact]
    public async Task Cells_that_do_not_fit_the_type_warn_or_block_by_share()
    {
        string? Spend(int i, int bad) => i < bad ? "n/a" : "12.5";
        var types = new Dictionary<string, FeatureType> { ["spend"] = FeatureType.Number };

        var clean = await ValidateAsync(Header, Clean(100, spend: i => Spend(i, 1)), ValidationTables.Rules(features: "spend"), TaskType.Binary, types: types);
        var warned = await ValidateAsync(Header, Clean(100, spend: i => Spend(i, 3)), ValidationTables.Rules(features: "spend"), TaskType.Binary, types: types);
        var blocked = await ValidateAsync(Header, Clean(100, spend: i => Spend(i, 10)), ValidationTables.Rules(features: "spend"), TaskType.Binary, types: types);

        Assert.DoesNotContain(clean.Issues, i => i.Code == ValidationCodes.Types);
        var warning = Assert.Single(warned.Issues);
        Assert.Equal((ValidationCodes.Types, ValidationSeverity.Warning), (warning.Code, warning.Severity));
        Assert.Equal("3 of 100 values (3.0 %) in column 'spend' (feature spend) do not fit its type (number); those rows lose the value.", warning.Message);
        Assert.Equal("10 of 100 values (10.0 %) in column 'spend' (feature spend) do not fit its type (number); the limit is 5.0 %.",
            Assert.Single(blocked.Issues).Message);
    }

    [Fact]
    public async Task The_same_key_at_the_same_time_blocks_with_examples_but_at_other_times_is_normal()
    {
        var snapshots = Enumerable.Range(0, 20).Select(i => Row($"k{i % 5}", $"2024-01-{1 + i / 5:00}", i % 2 == 0 ? "yes" : "no", "1")).ToArray();
        var doubled = snapshots.Concat([Row("k1", "2024-01-01", "no", "2"), Row("k1", "2024-01-01", "yes", "2"), Row("k3", "2024-01-02", "no", "2")]).ToArray();

        var normal = await ValidateAsync(Header, snapshots, ValidationTables.Rules(features: "spend"), TaskType.Binary);
        var blocked = await ValidateAsync(Header, doubled, ValidationTables.Rules(features: "spend"), TaskType.Binary);

        Assert.Contains("Every (entity key, event time) pair in 'id', 'at' is unique.", normal.Passed.Select(p => p.Message));
        var issue = Assert.Single(blocked.Issues);
        Assert.Equal((ValidationCodes.Duplicates, ValidationSeverity.Blocking, "id"), (issue.Code, issue.Severity, issue.Column));
        Assert.Equal(["'k1' at 2024-01-01 00:00:00 (3 rows)", "'k3' at 2024-01-02 00:00:00 (2 rows)"], issue.Examples);
        Assert.StartsWith("2 (entity key, event time) pairs appear more than once (3 extra rows), e.g. 'k1' at", issue.Message);
    }

    [Fact]
    public async Task Without_an_event_time_the_key_alone_must_be_unique()
    {
        var rows = Clean(10).Append(Row("k4", "2024-02-01", "yes", "1")).ToArray();

        var report = await ValidateAsync(Header, rows, ValidationTables.Rules(time: null, features: "spend"), TaskType.Binary);

        var issue = Assert.Single(report.Issues);
        Assert.Equal(["'k4' (2 rows)"], issue.Examples);
        Assert.Contains("each must be unique in column 'id'.", issue.Message);
    }

    [Fact]
    public async Task An_event_time_that_holds_no_dates_blocks_and_unreadable_times_are_counted()
    {
        var notDates = Clean(20).Select(r => Row(r[0], "15/03/2024", r[2], r[3])).ToArray();
        var someBad = Clean(100).Select((r, i) => Row(r[0], i < 2 ? "soon" : r[1], r[2], r[3])).ToArray();

        var blocked = await ValidateAsync(Header, notDates, ValidationTables.Rules(features: "spend"), TaskType.Binary);
        var warned = await ValidateAsync(Header, someBad, ValidationTables.Rules(features: "spend"), TaskType.Binary);

        var issue = Assert.Single(blocked.Issues);
        Assert.Equal((ValidationCodes.Times, ValidationSeverity.Blocking), (issue.Code, issue.Severity));
        Assert.Equal("Column 'at' (event time) does not hold date-times: it was read as category (e.g. '15/03/2024'). " +
            "Times must be ISO-8601, e.g. 2024-03-15 or 2024-03-15T08:00:00Z.", issue.Message);
        var warning = Assert.Single(warned.Issues);
        Assert.Equal((ValidationCodes.Times, ValidationSeverity.Warning), (warning.Code, warning.Severity));
        Assert.Equal("2 of 100 values (2.0 %) in column 'at' (event time) are not readable times (date-time); those rows lose the value.", warning.Message);
    }

    [Fact]
    public async Task The_text_report_puts_blocking_problems_before_warnings()
    {
        var rows = Enumerable.Range(0, 10).Select(i => Row("same", "2024-01-01", i % 2 == 0 ? "yes" : "no", i < 3 ? null : "1")).ToArray();

        var report = await ValidateAsync(Header, rows, ValidationTables.Rules(features: "spend"), TaskType.Binary);

        var lines = report.ToText().Split('\n');
        Assert.Equal("Dataset version 1 (10 rows) checked against the use case's default rules: blocked by 1 problem, with 1 warning.", lines[0]);
        Assert.StartsWith("BLOCKING 1 entity key", lines[1].Replace("(entity key, event time) pairs", "entity key"));
        Assert.StartsWith("WARNING Column 'spend' (feature spend) is 30.0 % empty", lines[2]);
    }

    [Theory]
    [InlineData(DemoDataKeys.Churn)]
    [InlineData(DemoDataKeys.Leads)]
    [InlineData(DemoDataKeys.Tickets)]
    [InlineData(DemoDataKeys.Resolution)]
    public async Task A_demo_tenants_data_mapped_by_its_rules_is_not_blocked(string useCase)
    {
        var report = await ValidateDemoAsync(useCase, 600);

        Assert.False(report.IsBlocked, report.ToText());
        Assert.Equal(600, report.Rows);
        Assert.Contains(report.Passed, p => p.Code == ValidationCodes.Label);
    }

    [Fact]
    public async Task A_demo_tenants_data_under_the_default_rules_is_blocked_for_every_unmapped_column()
    {
        var report = await ValidateDemoAsync(DemoDataKeys.Churn, 200, _ => new RuleSet());

        var missing = report.Issues.Where(i => i.Code == ValidationCodes.Columns).Select(i => i.Column).ToArray();
        Assert.Contains("account_id", missing);
        Assert.Contains("churned", missing);
        Assert.Contains("monthly_spend", missing);
        Assert.True(report.IsBlocked);
    }

    [Fact]
    public async Task A_demo_tenants_duplicated_rows_are_found()
    {
        var report = await ValidateDemoAsync(DemoDataKeys.Churn, 300, r => r, new ValidationOptions { MinRows = 10_000 });

        Assert.Equal("The dataset has 300 rows; at least 10,000 are needed.", report.Issues[0].Message);
    }
}

internal static class DemoDataKeys
{
    public const string Churn = "churn-risk";
    public const string Leads = "lead-scoring";
    public const string Tickets = "ticket-routing";
    public const string Resolution = "resolution-time";
}
