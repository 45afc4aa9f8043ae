using System.Text;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.UseCases;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Xunit.Abstractions;

namespace ControlPlane.UnitTests.Rules;

public sealed class MappingAssistantTests(ITestOutputHelper output)
{
    // Measured 2026-11-26 on 60 tenants × 4 use cases (2,580 targets); the floors leave room for the generator's randomness.
    // The built-in synonym table knows most names the generator writes, so the second figure, on words and types alone,
    // says how the assistant does on names it has never seen.
    // Measured: 100.0 % (2,580/2,580) with the table, 92.2 % (2,378/2,580) without it.
    private const double Top1Floor = 0.97;
    private const double Top1FloorWithoutSynonyms = 0.85;

    private static readonly RuleDefaults Churn = Defaults("churn-risk");

    [Theory]
    [InlineData(true, Top1Floor)]
    [InlineData(false, Top1FloorWithoutSynonyms)]
    public async Task Top_choices_match_the_demo_generators_ground_truth_for_many_tenants(bool synonyms, double floor)
    {
        var table = synonyms ? null : new Dictionary<string, string[]>();
        var (right, total) = (0, 0);
        var misses = new List<string>();
        foreach (var useCase in DemoDataGenerator.UseCaseKeys)
        {
            var defaults = Defaults(useCase);
            for (var t = 0; t < 60; t++)
            {
                var dataset = DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = $"tenant-{t}", Seed = t, Rows = 150 });
                var columns = await Profile(dataset);
                var suggestions = table is null ? MappingAssistant.Suggest(defaults, columns) : MappingAssistant.Suggest(defaults, columns, table);
                foreach (var suggestion in suggestions)
                {
                    var expected = dataset.Mapping[Canonical(defaults, suggestion.Target)];
                    var top = suggestion.Candidates.FirstOrDefault()?.Column;
                    total++;
                    if (top == expected)
                    {
                        right++;
                    }
                    else
                    {
                        misses.Add($"{useCase} {suggestion.Target}: expected '{expected}', got '{top}'");
                    }
                }
            }
        }

        var accuracy = (double)right / total;
        output.WriteLine($"top-1 accuracy {accuracy:P1} ({right}/{total})");
        foreach (var miss in misses.GroupBy(m => m).OrderByDescending(g => g.Count()).Take(40))
        {
            output.WriteLine($"{miss.Count()}× {miss.Key}");
        }

        Assert.True(accuracy >= floor, $"Top-1 accuracy {accuracy:P1} is below the floor of {floor:P0}.");
    }

    // Measured 2026-12-08: with the synonym table 2,578 of 2,580 applied, all right; on words and types alone 1,264
    // applied (49.0 %), 1,257 right (99.4 %).
    [Theory]
    [InlineData(true, 0.95)]
    [InlineData(false, 0.45)]
    public async Task What_is_applied_without_asking_is_right_and_each_column_feeds_one_target(bool synonyms, double coverageFloor)
    {
        // Without the synonym table the assistant matches on words and types alone, as for a tenant naming columns its own
        // way: more guesses, and a confident match must still be the right one.
        var table = synonyms ? null : new Dictionary<string, string[]>();
        var (applied, right, total) = (0, 0, 0);
        foreach (var useCase in DemoDataGenerator.UseCaseKeys)
        {
            var defaults = Defaults(useCase);
            for (var t = 0; t < 60; t++)
            {
                var dataset = DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = $"tenant-{t}", Seed = t, Rows = 150 });
                var columns = await Profile(dataset);
                var plan = MappingPlan.Confident(table is null ? MappingAssistant.Suggest(defaults, columns) : MappingAssistant.Suggest(defaults, columns, table));
                total += plan.Count;
                Assert.Empty(MappingPlan.Shared(plan.Where(c => c.Applied).Select(c => (c.Target, c.Column!))));
                foreach (var choice in plan.Where(c => c.Applied))
                {
                    applied++;
                    if (choice.Column == dataset.Mapping[Canonical(defaults, choice.Target)]) right++;
                }
                Assert.All(plan.Where(c => !c.Applied), c => Assert.False(string.IsNullOrEmpty(c.Why)));
            }
        }

        var precision = (double)right / applied;
        output.WriteLine($"applied without asking {applied} of {total} targets ({(double)applied / total:P1}); right {right} ({precision:P1})");
        Assert.True(precision >= 0.99, $"Only {precision:P1} of confident matches were right.");
        Assert.True(applied >= total * coverageFloor, $"Only {applied} of {total} targets were matched confidently.");
    }

    [Fact]
    public void A_guess_or_a_column_taken_by_a_surer_match_is_left_open_with_the_reason()
    {
        var suggestions = new[]
        {
            new MappingSuggestion("plan", FeatureType.Category, [new MappingCandidate("product_tier", 0.4, "similar name")]),
            new MappingSuggestion("seats", FeatureType.Number, [new MappingCandidate("users", 0.75, "shared words")]),
            new MappingSuggestion("label", null, [new MappingCandidate("users", 0.92, "'users' is a usual name")]),
            new MappingSuggestion("nps_score", FeatureType.Number, []),
        };

        var plan = MappingPlan.Confident(suggestions).ToDictionary(c => c.Target);

        Assert.Equal("users", plan["label"].Column);
        Assert.Null(plan["seats"].Column);
        Assert.Equal("'users' already feeds 'label'", plan["seats"].Why);
        Assert.Null(plan["plan"].Column);
        Assert.StartsWith("best guess 'product_tier' at 40", plan["plan"].Why, StringComparison.Ordinal);
        Assert.Equal("no column of the file resembles it", plan["nps_score"].Why);
        Assert.Equal(new Dictionary<string, IReadOnlyList<string>> { ["a"] = ["x", "y"] }, MappingPlan.Shared([("x", "a"), ("y", "a"), ("z", "b")]));
    }

    [Fact]
    public async Task Every_target_gets_a_suggestion_and_no_column_is_anyones_first_choice_twice()
    {
        var dataset = DemoDataGenerator.Generate("lead-scoring", new DemoGenerationOptions { TenantSlug = "acme-corp", Rows = 100 });

        var suggestions = MappingAssistant.Suggest(Defaults("lead-scoring"), await Profile(dataset));

        Assert.Equal(["label", "entityKey", "eventTime", "company_size", "industry", "country", "lead_source", "pages_viewed",
            "emails_opened", "days_since_first_touch", "has_demo_request", "title_seniority"], suggestions.Select(s => s.Target));
        var firsts = suggestions.Select(s => s.Candidates[0].Column).ToArray();
        Assert.Equal(firsts.Length, firsts.Distinct().Count());
        Assert.All(suggestions.SelectMany(s => s.Candidates), c => Assert.InRange(c.Score, MappingAssistant.MinScore, 1));
        Assert.All(suggestions, s => Assert.Equal(s.Candidates.OrderByDescending(c => c.Score).Skip(1), s.Candidates.Skip(1)));
    }

    [Theory]
    [InlineData("MonthlySpendCents", FeatureType.Number, "monthly_spend", "in other units")]
    [InlineData("MRR", FeatureType.Number, "monthly_spend", "usual name")]
    [InlineData("acct_LicensedUsers", FeatureType.Number, "seats", "usual name")]
    [InlineData("NPS Score", FeatureType.Number, "nps_score", "same name")]
    [InlineData("is-churned", FeatureType.Boolean, "label", "usual name")]
    public void Names_in_any_style_find_their_feature(string column, FeatureType type, string target, string reason)
    {
        var columns = new[]
        {
            new RawColumn("acct_id", FeatureType.Category), new RawColumn("acct_as_of", FeatureType.DateTime), new RawColumn(column, type),
        };

        var suggestion = MappingAssistant.Suggest(Churn, columns).Single(s => s.Target == target);

        Assert.Equal(column, suggestion.Candidates[0].Column);
        Assert.Contains(reason, suggestion.Candidates[0].Reason);
    }

    [Fact]
    public void Type_decides_between_two_equally_named_columns()
    {
        var columns = new[]
        {
            new RawColumn("account_id", FeatureType.Category), new RawColumn("plan", FeatureType.Number), new RawColumn("plan_name", FeatureType.Category),
        };

        var plan = MappingAssistant.Suggest(Churn, columns).Single(s => s.Target == "plan");

        Assert.Equal("plan_name", plan.Candidates[0].Column);
        var numeric = Assert.Single(plan.Candidates, c => c.Column == "plan");
        Assert.Contains("but it holds numbers", numeric.Reason);
    }

    [Fact]
    public void The_only_date_time_column_is_the_event_time_whatever_its_name()
    {
        var columns = new[] { new RawColumn("account_id", FeatureType.Category), new RawColumn("zeitpunkt", FeatureType.DateTime) };

        var eventTime = MappingAssistant.Suggest(Churn, columns).Single(s => s.Target == "eventTime");

        Assert.Equal(new MappingCandidate("zeitpunkt", 0.7, "the only date-time column"), eventTime.Candidates[0]);
        Assert.Equal(FeatureType.DateTime, eventTime.Type);
    }

    [Fact]
    public void Columns_that_resemble_nothing_are_only_offered_as_the_last_one_left()
    {
        var suggestions = MappingAssistant.Suggest(Churn, [new RawColumn("favourite_colour", FeatureType.Category)]);

        var key = Assert.Single(suggestions, s => s.Candidates.Count > 0);
        Assert.Equal("entityKey", key.Target);
        Assert.Equal(new MappingCandidate("favourite_colour", 0.2, "the only column left that holds categories"), key.Candidates[0]);
    }

    [Fact]
    public void The_last_unmatched_column_of_a_features_type_goes_to_it()
    {
        var columns = new[]
        {
            new RawColumn("account_id", FeatureType.Category), new RawColumn("snapshot_date", FeatureType.DateTime),
            new RawColumn("churned", FeatureType.Boolean), new RawColumn("seats", FeatureType.Number),
            new RawColumn("monthly_spend", FeatureType.Number), new RawColumn("logins_30d", FeatureType.Number),
            new RawColumn("support_tickets_90d", FeatureType.Number), new RawColumn("nps_score", FeatureType.Number),
            new RawColumn("tenure_months", FeatureType.Number), new RawColumn("payment_failures", FeatureType.Number),
            new RawColumn("last_login_days", FeatureType.Number), new RawColumn("Abo", FeatureType.Category),
        };

        var plan = MappingAssistant.Suggest(Churn, columns, new Dictionary<string, string[]>()).Single(s => s.Target == "plan");

        Assert.Equal("Abo", plan.Candidates[0].Column);
        Assert.Contains("only column left", plan.Candidates[0].Reason);
    }

    private static RuleDefaults Defaults(string useCase) => FeatureRuleService.Defaults(BuiltInUseCases.All().Single(u => u.Key == useCase));

    private static string Canonical(RuleDefaults defaults, string target) => target switch
    {
        "label" => defaults.LabelColumn,
        "entityKey" => defaults.EntityKeyColumn,
        "eventTime" => defaults.EventTimeColumn!,
        _ => target,
    };

    /// <summary>The columns as an upload of the dataset would store them: names and inferred types.</summary>
    private static async Task<IReadOnlyList<RawColumn>> Profile(DemoDataset dataset)
    {
        using var csv = new MemoryStream(Encoding.UTF8.GetBytes(dataset.ToCsv()));
        await using var reader = await CsvTableReader.OpenAsync(csv);
        var profile = await ColumnProfiler.ProfileAsync(reader);
        return profile.Columns.Select(c => new RawColumn(c.Name, c.Type)).ToArray();
    }
}
