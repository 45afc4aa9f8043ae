using System.Net;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Security;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML.Rules;
using static ControlPlane.IntegrationTests.FeatureRules.RulesClient;

namespace ControlPlane.IntegrationTests.FeatureRules;

public abstract class RulesApiTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    /// <summary>The churn-risk features the small hand-written files below do without.</summary>
    private static readonly string[] NotInSmallFile =
        ["logins_30d", "support_tickets_90d", "nps_score", "tenure_months", "payment_failures", "last_login_days"];

    /// <summary>A hand-written churn-risk file with only the key, time, label, seats, spend and plan.</summary>
    private static readonly string SmallFile = "account_id,snapshot_date,churned,seats,monthly_spend,plan\n"
        + string.Concat(Enumerable.Range(0, 40).Select(i => $"A{i},2026-01-{1 + i % 28:00}T00:00:00Z,{(i % 3 == 0 ? "true" : "false")},{i % 7},{i * 10},{(i % 2 == 0 ? "pro" : "free")}\n"));

    [Fact]
    public async Task Saved_rules_become_version_1_listed_and_read_back_with_their_effective_rules()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        var dataset = DemoFile(slug);
        await UploadAsync(admin, slug, dataset.ToCsv());
        var mapped = RuleJson.Write(await DemoRuleSet.ForAsync(dataset));
        Assert.Equal(0, (await (await admin.GetAsync(Url(slug))).ReadNodeAsync())["number"]!.GetValue<int>());

        var saved = await PutRulesAsync(admin, slug, mapped, "first mapping");

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var body = await saved.ReadNodeAsync();
        Assert.Equal(1, body["number"]!.GetValue<int>());
        Assert.Equal("first mapping", body["comment"]!.GetValue<string>());
        Assert.Equal(dataset.Label.RawName, body["effective"]!["label"]!["source"]?.GetValue<string>()
            ?? body["effective"]!["label"]!["inputs"]![0]!.GetValue<string>());
        Assert.Equal(new[] { 1 }, await VersionNumbersAsync(admin, slug));

        var latest = await (await admin.GetAsync(Url(slug))).ReadNodeAsync();
        Assert.Equal(1, latest["number"]!.GetValue<int>());
        Assert.Equal(mapped, RuleJson.Write(RuleJson.Parse(latest["overrides"]!.ToJsonString())));
        var features = latest["effective"]!["features"]!.AsArray();
        Assert.Equal(9, features.Count);
        Assert.Equal(dataset.Column("seats").RawName, features.Single(f => f!["name"]!.GetValue<string>() == "seats")!["source"]?.GetValue<string>() ?? "seats");
        Assert.Equal("number", features[0]!["type"]!.GetValue<string>());
        var one = await (await admin.GetAsync(Url(slug, "/versions/1"))).ReadNodeAsync();
        Assert.Equal(latest.ToJsonString(), one.ToJsonString());
    }

    [Fact]
    public async Task Saving_the_same_rules_again_keeps_the_latest_version()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        const string rules = """{"features":[{"name":"seats","source":"licenses"}],"drop":["nps_score"]}""";
        Assert.Equal(HttpStatusCode.OK, (await PutRulesAsync(admin, slug, rules, "one")).StatusCode);

        var again = await PutRulesAsync(admin, slug, "{ \"drop\": [\"nps_score\"],\n  \"features\": [ { \"source\": \"licenses\", \"name\": \"seats\" } ] }", "two");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.ReadNodeAsync();
        Assert.Equal(1, body["number"]!.GetValue<int>());
        Assert.Equal("one", body["comment"]!.GetValue<string>());
        Assert.Equal(new[] { 1 }, await VersionNumbersAsync(admin, slug));
    }

    [Theory]
    [InlineData("""{"features":[{"name":"seats","sourc":"licenses"}]}""", "features[0].sourc", "Unknown field 'sourc'")]
    [InlineData("""{"features":[{"name":"seats",""", "features[0]", "line 1")]
    [InlineData("""{,}""", "json", "line 1, position 2")]
    [InlineData("""{"features":[{"name":"seats","type":"numeric"}]}""", "features[0].type", "must be one of: number, category")]
    [InlineData("""{"features":[{"name":"seats","source":"a"},{"name":"seats","source":"b"}]}""", "features[seats].name", "twice")]
    [InlineData("""{"features":[{"name":"plan","source":"tier"}],"drop":["plan"]}""", "drop[0]", "both dropped and defined")]
    [InlineData("""{"label":{"source":"churned","expression":"x > 1"}}""", "label.source", "not both")]
    [InlineData("null", "json", "The rules are null: send them as a JSON object")]
    [InlineData("  ", "json", "The rules are empty: send them as a JSON object")]
    public async Task Rules_that_do_not_parse_or_contradict_themselves_are_problems_naming_the_path_and_store_nothing(
        string rules, string path, string expected)
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await PutRulesAsync(admin, slug, """{"drop":["nps_score"]}""")).StatusCode);

        var response = await PutRulesAsync(admin, slug, rules);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var messages = (await response.ReadNodeAsync()).FieldErrors(path);
        Assert.Contains(messages, m => m.Contains(expected, StringComparison.Ordinal));
        Assert.Equal(new[] { 1 }, await VersionNumbersAsync(admin, slug));
    }

    [Theory]
    [InlineData("""{"features":[{"name":"seats","source":"no_such_column"}]}""", "features[seats].source", "no_such_column")]
    [InlineData("""{"features":[{"name":"per_seat","expression":"monthly_spend +* seats"}]}""", "features[per_seat].expression", "")]
    [InlineData("""{"features":[{"name":"odd","expression":"plan + 1"}]}""", "features[odd].expression", "")]
    public async Task Rules_that_do_not_fit_the_latest_dataset_are_problems_naming_the_path_and_store_nothing(
        string rules, string path, string expected)
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        await UploadAsync(admin, slug, SmallFile);
        Assert.Equal(HttpStatusCode.OK, (await PutRulesAsync(admin, slug, WithDrop("{}", NotInSmallFile))).StatusCode);

        var response = await PutRulesAsync(admin, slug, WithDrop(rules, NotInSmallFile));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var messages = (await response.ReadNodeAsync()).FieldErrors(path);
        Assert.Contains(messages, m => m.Contains(expected, StringComparison.Ordinal));
        Assert.Equal(new[] { 1 }, await VersionNumbersAsync(admin, slug));
    }

    [Fact]
    public async Task An_expression_of_100000_parentheses_is_a_problem_naming_the_limit_and_the_node_keeps_serving()
    {
        // It used to overflow ML.NET's recursive expression parser and kill the process.
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        await UploadAsync(admin, slug, SmallFile);
        Assert.Equal(HttpStatusCode.OK, (await PutRulesAsync(admin, slug, WithDrop("{}", NotInSmallFile))).StatusCode);
        var deep = new string('(', 100_000) + "seats" + new string(')', 100_000);
        var nested = new string('(', 40) + "seats" + new string(')', 40);

        foreach (var (expression, expected) in new[] { (deep, "at most 2,000 characters"), (nested, "nest at most 32 parentheses deep; this one nests 40") })
        {
            var response = await PutRulesAsync(admin, slug, WithDrop($$"""{"features":[{"name":"deep","expression":"{{expression}}"}]}""", NotInSmallFile));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains((await response.ReadNodeAsync()).FieldErrors("features[deep].expression"), m => m.Contains(expected, StringComparison.Ordinal));
        }

        Assert.Equal(new[] { 1 }, await VersionNumbersAsync(admin, slug));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/tenants/{slug}")).StatusCode);
    }

    [Fact]
    public async Task A_drop_naming_neither_a_feature_nor_a_column_is_a_problem_at_its_index_and_stores_nothing()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        await UploadAsync(admin, slug, SmallFile);
        Assert.Equal(HttpStatusCode.OK, (await PutRulesAsync(admin, slug, WithDrop("{}", NotInSmallFile))).StatusCode);

        var response = await PutRulesAsync(admin, slug, WithDrop("{}", ["nps_scroe", .. NotInSmallFile]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var messages = (await response.ReadNodeAsync()).FieldErrors("drop[0]");
        Assert.Contains(messages, m => m.StartsWith("'nps_scroe' is neither a raw column nor a feature of this use case.", StringComparison.Ordinal));
        Assert.Equal(new[] { 1 }, await VersionNumbersAsync(admin, slug));
    }

    [Fact]
    public async Task A_constant_label_in_the_latest_dataset_is_a_problem_at_the_label_and_stores_nothing()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        await UploadAsync(admin, slug, "account_id,snapshot_date,lost,seats\n"
            + string.Concat(Enumerable.Range(0, 40).Select(i => $"A{i},2026-01-{1 + i % 28:00}T00:00:00Z,false,{i % 7}\n")));

        var response = await PutRulesAsync(admin, slug, WithDrop("""{"label":{"source":"lost"}}""", [.. NotInSmallFile, "monthly_spend", "plan"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = ErrorsOf(await response.ReadNodeAsync());
        Assert.Contains(errors, e => e.Key.StartsWith("label", StringComparison.Ordinal));
        Assert.Empty(await VersionNumbersAsync(admin, slug));
    }

    [Fact]
    public async Task Two_saves_at_once_become_two_versions_and_the_same_rules_at_once_one()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);

        var different = await Task.WhenAll(
            PutRulesAsync(admin, slug, """{"drop":["nps_score"]}"""), PutRulesAsync(admin, slug, """{"drop":["seats"]}"""));
        var same = await Task.WhenAll(
            PutRulesAsync(admin, slug, """{"drop":["plan"]}"""), PutRulesAsync(admin, slug, """{"drop":["plan"]}"""));

        Assert.All(different.Concat(same), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(new[] { 3, 2, 1 }, await VersionNumbersAsync(admin, slug));
        var numbers = await Task.WhenAll(same.Select(async r => (await r.ReadNodeAsync())["number"]!.GetValue<int>()));
        Assert.Equal([3, 3], numbers);
    }

    [Fact]
    public async Task A_comment_over_the_limit_is_a_problem_at_the_comment()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);

        var response = await PutRulesAsync(admin, slug, "{}", new string('x', 501));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.ReadNodeAsync()).FieldErrors("comment"), m => m.Contains("500", StringComparison.Ordinal));
        Assert.Empty(await VersionNumbersAsync(admin, slug));
    }

    [Fact]
    public async Task The_diff_between_versions_names_each_changed_path()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        await PutRulesAsync(admin, slug, """{"features":[{"name":"monthly_spend","source":"mrr"}]}""");
        await PutRulesAsync(admin, slug, """{"features":[{"name":"monthly_spend","source":"mrr_cents","scale":100}],"drop":["nps_score"]}""");

        var diff = await (await admin.GetAsync(Url(slug, "/diff?from=1&to=2"))).ReadNodeAsync();

        var changes = diff.AsArray().ToDictionary(c => c!["path"]!.GetValue<string>(), c => (c!["before"]?.GetValue<string>(), c["after"]?.GetValue<string>()));
        Assert.Equal(("\"mrr\"", "\"mrr_cents\""), changes["features[monthly_spend].source"]);
        Assert.Equal((null, "100"), changes["features[monthly_spend].scale"]);
        Assert.Equal((null, "[\"nps_score\"]"), changes["drop"]);
        Assert.Equal("""{"name":"nps_score","type":"number"}""", changes["features[nps_score]"].Item1);
        Assert.Equal(4, changes.Count);

        var fromDefaults = await (await admin.GetAsync(Url(slug, "/diff?from=0&to=1"))).ReadNodeAsync();
        Assert.Equal("features[monthly_spend].source", Assert.Single(fromDefaults.AsArray())!["path"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Url(slug, "/diff?from=1&to=3"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync(Url(slug, "/diff?from=1"))).StatusCode);
    }

    [Fact]
    public async Task Suggestions_and_preview_need_a_dataset_and_suggest_the_tenants_columns()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        var noData = await admin.GetAsync(Url(slug, "/suggestions"));
        Assert.Equal(HttpStatusCode.BadRequest, noData.StatusCode);
        Assert.Contains((await noData.ReadNodeAsync()).FieldErrors("dataset"), m => m.Contains("no dataset", StringComparison.Ordinal));
        var noPreview = await PreviewAsync(admin, slug, "{}");
        Assert.Contains((await noPreview.ReadNodeAsync()).FieldErrors("dataset"), m => m.Contains("no dataset", StringComparison.Ordinal));

        var dataset = DemoFile(slug);
        await UploadAsync(admin, slug, dataset.ToCsv());
        var suggestions = (await (await admin.GetAsync(Url(slug, "/suggestions"))).ReadNodeAsync()).AsArray();

        var top = suggestions.ToDictionary(s => s!["target"]!.GetValue<string>(), s => s!["candidates"]![0]!["column"]!.GetValue<string>());
        Assert.Equal(dataset.Label.RawName, top["label"]);
        Assert.Equal(dataset.EntityKey.RawName, top["entityKey"]);
        Assert.Equal(dataset.Column("monthly_spend").RawName, top["monthly_spend"]);
        Assert.Equal(12, top.Count);
    }

    [Fact]
    public async Task The_preview_shows_the_first_rows_through_unsaved_rules()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        var dataset = DemoFile(slug);
        await UploadAsync(admin, slug, dataset.ToCsv());
        var mapped = RuleJson.Write(await DemoRuleSet.ForAsync(dataset));

        var response = await PreviewAsync(admin, slug, mapped);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.ReadNodeAsync();
        Assert.Equal(5, preview["rows"]!.AsArray().Count);
        Assert.Contains("seats", preview["features"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(dataset.Header, preview["rawColumns"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Empty(await VersionNumbersAsync(admin, slug));
    }

    [Fact]
    public async Task A_viewer_may_read_the_rules_but_not_save_them()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin);
        await PutRulesAsync(admin, slug, """{"drop":["nps_score"]}""");
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "rules viewer", role = Roles.Viewer })).ReadNodeAsync();
        using var viewer = App.CreateTokenClient(issued["secret"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Forbidden, (await PutRulesAsync(viewer, slug, """{"drop":["seats"]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(Url(slug))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(Url(slug, "/versions/1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(Url(slug, "/diff?from=0&to=1"))).StatusCode);
        Assert.Equal(new[] { 1 }, await VersionNumbersAsync(viewer, slug));
    }

    [Fact]
    public async Task Another_tenants_rules_are_not_reachable_through_a_wrong_slug()
    {
        using var admin = App.CreateAdminClient();
        var owner = await CreateTenantAsync(admin);
        var other = await CreateTenantAsync(admin);
        await PutRulesAsync(admin, owner, """{"drop":["nps_score"]}""", "owner's rules");

        Assert.Empty(await VersionNumbersAsync(admin, other));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Url(other, "/versions/1"))).StatusCode);
        var latest = await (await admin.GetAsync(Url(other))).ReadNodeAsync();
        Assert.Equal(0, latest["number"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(Url("no-such-tenant"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/tenants/{owner}/use-cases/lead-scoring/rules")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutRulesAsync(admin, "no-such-tenant", "{}")).StatusCode);
    }
}

public sealed class RulesApiTestsOnSqlite(AppFixture<Sqlite> fixture) : RulesApiTests<Sqlite>(fixture);

public sealed class RulesApiTestsOnPostgres(AppFixture<Postgres> fixture) : RulesApiTests<Postgres>(fixture);
