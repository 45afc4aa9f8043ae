using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using ControlPlane.IntegrationTests.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;
using static ControlPlane.IntegrationTests.Serving.PredictRows;

namespace ControlPlane.IntegrationTests.Serving;

/// <summary>
/// <c>POST /api/v1/predict/{tenant}/{useCase}</c> end to end: a real model (logistic regression trained here on the
/// tenant's generated data with the demo rules) registered and made champion, then scored through the route with the
/// tenant's API key — against the same model scoring the same rows offline.
/// </summary>
public abstract class PredictApiTests<TProvider>(PredictFixture<TProvider> fixture) : IClassFixture<PredictFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task The_champion_answers_each_row_as_it_would_offline_and_a_new_champion_takes_over_at_once()
    {
        var (slug, key, data, model) = await ChampionAsync("us");
        using var client = KeyClient(key);
        var rows = Rows(data, 0, 25);

        var response = await client.PostAsync(PredictUrl(slug), Body(rows));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadNodeAsync();
        Assert.Equal(("own", 1), (body["model"]!["kind"]!.GetValue<string>(), body["model"]!["number"]!.GetValue<int>()));
        var predictions = body["predictions"]!.AsArray();
        var offline = model.Score(RawTableRows.Select(data, Enumerable.Range(0, 25).ToArray()));
        Assert.Equal(25, predictions.Count);
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(offline[i].Score, predictions[i]!["probability"]!.GetValue<double>(), precision: 6);
            Assert.Equal(offline[i].Score >= model.Report.Threshold!.Value, predictions[i]!["label"]!.GetValue<bool>());
            Assert.Equal(offline[i].EntityKey, predictions[i]!["entityKey"]?.GetValue<string>());
        }

        // With explain: each row's top 3 features, as the model explains the row offline, in log-odds with the base value:
        // base + every contribution = the log-odds of the probability answered.
        var explained = await (await client.PostAsync($"{PredictUrl(slug)}?explain=true&top=3", Body(Rows(data, 0, 2)))).ReadNodeAsync();
        var offlineWhy = model.Explain(RawTableRows.Select(data, [0, 1]))!;
        for (var i = 0; i < 2; i++)
        {
            var row = explained["predictions"]![i]!;
            var contributions = row["contributions"]!.AsArray();
            Assert.Equal(offlineWhy[i].Contributions.Take(3).Select(c => c.Feature), contributions.Select(c => c!["feature"]!.GetValue<string>()));
            Assert.Equal(offlineWhy[i].Contributions[0].Value, contributions[0]!["value"]!.GetValue<double>(), precision: 6);
            Assert.Equal("logOdds", row["units"]!.GetValue<string>());
            Assert.Equal(offlineWhy[i].BaseValue!.Value, row["baseValue"]!.GetValue<double>(), precision: 9);
            var p = row["probability"]!.GetValue<double>();
            Assert.Equal(Math.Log(p / (1 - p)), row["explainedValue"]!.GetValue<double>(), precision: 4);
            Assert.Equal(row["explainedValue"]!.GetValue<double>(), offlineWhy[i].BaseValue!.Value + offlineWhy[i].Contributions.Sum(c => c.Value), precision: 9);
        }

        // A second version becomes champion: the next request is answered by it, with no failed request between.
        var v2 = await RegisterTrainedAsync(slug, model);
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v2, AliasNames.Champion, "test", "swap"))).IsOk);
        var after = await (await client.PostAsync(PredictUrl(slug), Body(Rows(data, 0, 1)))).ReadNodeAsync();
        Assert.Equal(2, after["model"]!["number"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_key_reaches_only_its_own_tenant_and_a_missing_unknown_or_revoked_key_is_refused()
    {
        var (slug, key, data, _) = await ChampionAsync("eu");
        using var admin = App.CreateAdminClient();
        var other = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = "Other", slug = TestSlugs.New("other"), region = "eu", useCases = new[] { UseCase } })).ReadNodeAsync();
        var otherKey = other["apiKey"]!.GetValue<string>();

        using (var stranger = KeyClient(otherKey))
        {
            var forbidden = await stranger.PostAsync(PredictUrl(slug), Body(Rows(data, 0, 1)));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            var problem = await forbidden.ReadNodeAsync();
            Assert.Contains("another tenant", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Null(problem["predictions"]);
        }

        using (var anonymous = App.CreateAnonymousClient())
        {
            var none = await anonymous.PostAsync(PredictUrl(slug), Body(Rows(data, 0, 1)));
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Contains("X-Api-Key", (await none.ReadNodeAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using (var bogus = KeyClient(key[..^2] + "zz"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await bogus.PostAsync(PredictUrl(slug), Body(Rows(data, 0, 1)))).StatusCode);
        }

        // An admin token is not a tenant key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.PostAsync(PredictUrl(slug), Body(Rows(data, 0, 1)))).StatusCode);

        (await admin.PostAsync($"/api/v1/tenants/{slug}/api-keys/rotate?overlapHours=0", null)).EnsureSuccessStatusCode();
        using var revoked = KeyClient(key);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.PostAsync(PredictUrl(slug), Body(Rows(data, 0, 1)))).StatusCode);
    }

    [Fact]
    public async Task Rows_that_do_not_fit_the_model_are_refused_naming_the_row_and_column_and_extras_and_unseen_categories_are_fine()
    {
        var (slug, key, data, model) = await ChampionAsync("us");
        using var client = KeyClient(key);
        var required = model.RequiredColumns;
        var numberColumn = model.InputColumns.First(c => c.Type == FeatureType.Number && required.Contains(c.Name)).Name;
        var categoryColumn = model.InputColumns.FirstOrDefault(c => c.Type == FeatureType.Category && required.Contains(c.Name))?.Name;

        var rows = Rows(data, 0, 3);
        rows[1]!.AsObject().Remove(required[0]);
        rows[2]![numberColumn] = "lots";
        var bad = await client.PostAsync(PredictUrl(slug), Body(rows));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.ReadNodeAsync())["errors"]!.AsObject();
        Assert.Contains(required[0], errors["rows[1]"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"Row 2, column '{numberColumn}': expected a number, got the text \"lots\".", errors[$"rows[2].{numberColumn}"]![0]!.GetValue<string>());

        var fine = Rows(data, 0, 2);
        fine[0]!["not_a_column_of_the_model"] = 42;
        if (categoryColumn is not null) fine[1]![categoryColumn] = "a value never seen in training";
        var ok = await client.PostAsync(PredictUrl(slug), Body(fine));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, (await ok.ReadNodeAsync())["predictions"]!.AsArray().Count);

        var malformed = await client.PostAsync(PredictUrl(slug), new StringContent("{\"rows\": [", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("not valid JSON", (await malformed.ReadNodeAsync())["errors"]!["body"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var tooMany = new JsonArray(Enumerable.Range(0, 1001).Select(_ => (JsonNode)Rows(data, 0, 1)[0]!.DeepClone()).ToArray());
        var large = await client.PostAsync(PredictUrl(slug), Body(tooMany));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("at most 1,000", (await large.ReadNodeAsync())["errors"]!["rows"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // The p99 SLA counts answered requests only: the one that was scored, not the four refused.
        await App.Services.GetRequiredService<Core.Monitoring.Sla.LatencyFlusher>().FlushAsync();
        var latencies = await App.WithDbAsync(db => db.PredictLatencyDays.Where(l => db.Enrollments.Any(e => e.Id == l.EnrollmentId && e.Tenant!.Slug == slug)).SumAsync(l => l.Count));
        Assert.Equal(1, latencies);
    }

    [Fact]
    public async Task An_enrollment_without_a_champion_is_a_conflict_and_a_use_case_it_is_not_enrolled_in_is_not_found()
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("nochamp");
        var created = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = "No champion", slug, region = "us", useCases = new[] { UseCase } })).ReadNodeAsync();
        using var client = KeyClient(created["apiKey"]!.GetValue<string>());
        JsonArray Rows() => new(new JsonObject { ["x"] = 1 });

        var conflict = await client.PostAsync(PredictUrl(slug), Body(Rows()));
        var notFound = await client.PostAsync($"/api/v1/predict/{slug}/ticket-routing", Body(Rows()));

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Contains("no champion model", (await conflict.ReadNodeAsync())["errors"]!["model"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Contains("not enrolled", (await notFound.ReadNodeAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_over_its_rate_gets_429_with_retry_after_and_another_tenant_is_not_slowed()
    {
        var (busy, busyKey, data, _) = await ChampionAsync("us");
        var (calm, calmKey, calmData, _) = await ChampionAsync("us");
        using var busyClient = KeyClient(busyKey);
        using var calmClient = KeyClient(calmKey);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await busyClient.PostAsync(PredictUrl(busy), Body(Rows(data, 0, 1))));
        }

        var calmAnswer = await calmClient.PostAsync(PredictUrl(calm), Body(Rows(calmData, 0, 1)));

        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(refused.Count, 10, 15); // a burst of 5, then 5 a second while the 20 requests last (well under a second)
        Assert.True(answers.Take(5).All(a => a.StatusCode == HttpStatusCode.OK));
        Assert.True(int.Parse(refused[0].Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture) >= 1);
        Assert.Contains($"'{busy}' is over its request rate", (await refused[0].ReadNodeAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, calmAnswer.StatusCode);
    }

    [Fact]
    public async Task A_tenant_served_by_its_regions_pooled_model_gets_the_pooled_scores_of_its_rows_mapped_by_its_own_rules()
    {
        var (pooled, a, b) = await PooledChampionsAsync("eu");
        using var client = KeyClient(a.Key);
        var rows = Enumerable.Range(0, 25).ToArray();

        var response = await client.PostAsync(PredictUrl(a.Slug), Body(Rows(a.Data, 0, 25)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadNodeAsync();
        var model = body["model"]!;
        Assert.Equal(("pooled", pooled.Number), (model["kind"]!.GetValue<string>(), model["number"]!.GetValue<int>()));
        Assert.Equal(("own", a.Number), (model["mappedBy"]!["kind"]!.GetValue<string>(), model["mappedBy"]!["number"]!.GetValue<int>()));
        var offline = pooled.Model.Score(RawTableRows.Select(a.Canonical, rows));
        var predictions = body["predictions"]!.AsArray();
        Assert.Equal(25, predictions.Count);
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(offline[i].Score, predictions[i]!["probability"]!.GetValue<double>(), precision: 6);
            Assert.Equal(offline[i].EntityKey, predictions[i]!["entityKey"]?.GetValue<string>());
        }

        // Explained by the pooled model, in the use case's feature names.
        var explained = await (await client.PostAsync($"{PredictUrl(a.Slug)}?explain=true&top=3", Body(Rows(a.Data, 0, 2)))).ReadNodeAsync();
        var offlineWhy = pooled.Model.Explain(RawTableRows.Select(a.Canonical, [0, 1]))!;
        for (var i = 0; i < 2; i++)
        {
            var contributions = explained["predictions"]![i]!["contributions"]!.AsArray();
            Assert.Equal(offlineWhy[i].Contributions.Take(3).Select(c => c.Feature), contributions.Select(c => c!["feature"]!.GetValue<string>()));
            Assert.Equal(offlineWhy[i].Contributions[0].Value, contributions[0]!["value"]!.GetValue<double>(), precision: 6);
        }

        // Rows are checked against the tenant's own columns, with the same messages as for its own model.
        var required = a.Own.RequiredColumns;
        var bad = Rows(a.Data, 0, 2);
        bad[1]!.AsObject().Remove(required[0]);
        var refused = await client.PostAsync(PredictUrl(a.Slug), Body(bad));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal($"Row 1 lacks the column the model reads: {required[0]}.",
            (await refused.ReadNodeAsync())["errors"]!["rows[1]"]![0]!.GetValue<string>());

        // The other tenant of the pool: its own rows through its own rules, and A's key never reaches it.
        using var other = KeyClient(b.Key);
        var theirs = await (await other.PostAsync(PredictUrl(b.Slug), Body(Rows(b.Data, 0, 5)))).ReadNodeAsync();
        Assert.Equal(b.Number, theirs["model"]!["mappedBy"]!["number"]!.GetValue<int>());
        var offlineB = pooled.Model.Score(RawTableRows.Select(b.Canonical, [0, 1, 2, 3, 4]));
        Assert.Equal(offlineB.Select(s => Math.Round(s.Score, 6)), theirs["predictions"]!.AsArray().Select(p => Math.Round(p!["probability"]!.GetValue<double>(), 6)));
        var crossed = await client.PostAsync(PredictUrl(b.Slug), Body(Rows(b.Data, 0, 1)));
        Assert.Equal(HttpStatusCode.Forbidden, crossed.StatusCode);
        Assert.Null((await crossed.ReadNodeAsync())["predictions"]);
        var cache = App.Services.GetRequiredService<ModelCache>();
        Assert.True(cache.HoldsMapping(a.VersionId, pooled.Id) && cache.HoldsMapping(b.VersionId, pooled.Id));
    }

    [Fact]
    public async Task A_tenant_served_by_a_pooled_model_without_an_own_version_to_map_its_rows_is_told_so()
    {
        var slug = await ModelVersions.EnrollmentWithDatasetAsync(App, "eu");
        using var admin = App.CreateAdminClient();
        var key = (await (await admin.PostAsync($"/api/v1/tenants/{slug}/api-keys/rotate", null)).ReadNodeAsync())["apiKey"]!.GetValue<string>();
        var sources = await App.WithDbAsync(db => db.DatasetVersions.Where(d => d.Enrollment!.Tenant!.Slug == slug)
            .Select(d => new PooledSource(slug, d.Id, d.Number, d.Sha256, 0)).ToListAsync());
        var pooled = (await ModelVersions.WithRegistryAsync(App, r => r.RegisterPooledAsync(
            new PooledRegistration(UseCase, "eu", sources, ModelVersions.Report(0.77), "test:retrain-all"), new MemoryStream(ModelVersions.Artifact("pool"))))).Value!;
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromotePooledAsync(slug, UseCase, pooled.Number, AliasNames.Champion, "test", "too little data"))).IsOk);
        using var client = KeyClient(key);

        var answer = await client.PostAsync(PredictUrl(slug), Body(new JsonArray(new JsonObject { ["x"] = 1 })));

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        var message = (await answer.ReadNodeAsync())["errors"]!["model"]![0]!.GetValue<string>();
        Assert.Contains($"served by the pooled '{UseCase}' model of region eu (v{pooled.Number})", message, StringComparison.Ordinal);
        Assert.Contains("it has none. Retrain the enrollment", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_models_served_before_a_restart_are_loaded_again_at_start()
    {
        var (slug, key, data, _) = await ChampionAsync("us");
        using var client = KeyClient(key);
        (await client.PostAsync(PredictUrl(slug), Body(Rows(data, 0, 1)))).EnsureSuccessStatusCode();
        var version = (await App.WithDbAsync(db => db.ModelAliases.SingleAsync(a => a.Enrollment!.Tenant!.Slug == slug && a.Name == AliasNames.Champion))).ModelVersionId;
        var cache = App.Services.GetRequiredService<ModelCache>();
        var warmUp = App.Services.GetRequiredService<ModelWarmUp>();
        Assert.True(cache.Holds(version));

        await warmUp.SaveAsync(CancellationToken.None); // as at shutdown
        cache.Evict(version);                            // as a fresh process
        Assert.False(cache.Holds(version));
        var warmed = await warmUp.WarmAsync(CancellationToken.None);

        Assert.True(warmed >= 1);
        Assert.True(cache.Holds(version));
        var saved = await App.WithDbAsync(db => db.AppSettings.SingleAsync(s => s.Key == ModelWarmUp.SettingKey));
        Assert.Contains(version.ToString("N"), saved.Value, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two tenants of one region, each with its data, a pooled model trained on both tenants' canonical tables (as
    /// retrain-all trains it) and registered, and an own version v1 trained on the same rules and settings whose decision
    /// chose the pool — so the promotion gate made the pooled version each tenant's champion.
    /// </summary>
    private async Task<((Guid Id, int Number, TrainedModel Model) Pooled, PooledTenant A, PooledTenant B)> PooledChampionsAsync(string region)
    {
        var useCase = ControlPlane.Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        var defaults = FeatureRuleService.Defaults(useCase);
        var tenants = new List<(string Slug, string Key, RawTable Data, RuleSet Effective, CanonicalTenant Canonical)>();
        using var admin = App.CreateAdminClient();
        for (var i = 0; i < 2; i++)
        {
            var slug = TestSlugs.New("pooled");
            var created = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Pooled {slug}", slug, region, useCases = new[] { UseCase } })).ReadNodeAsync();
            var dataset = DemoFile($"pooled-fixture-{i}", rows: 600); // fixed rows every run (see ChampionAsync)
            (await UploadAsync(admin, slug, Csv(dataset), "accounts.csv")).EnsureSuccessStatusCode();
            var table = await DemoRawTable.ReadAsync(dataset);
            var effective = RuleInheritance.Effective(defaults, DemoRuleSet.For(dataset, table.Schema));
            tenants.Add((slug, created["apiKey"]!.GetValue<string>(), table, effective, CanonicalTable.From(table, effective, defaults, Settings, slug)));
        }

        var model = PooledTrainer.Train(tenants.Select(t => t.Canonical).ToArray(), defaults, Settings);
        var sources = new List<PooledSource>();
        foreach (var tenant in tenants)
        {
            sources.AddRange(await App.WithDbAsync(db => db.DatasetVersions.Where(d => d.Enrollment!.Tenant!.Slug == tenant.Slug)
                .Select(d => new PooledSource(tenant.Slug, d.Id, d.Number, d.Sha256, 0)).ToListAsync()));
        }

        using var pooledArtifact = new MemoryStream();
        model.Save(pooledArtifact);
        var pooled = (await ModelVersions.WithRegistryAsync(App, r => r.RegisterPooledAsync(
            new PooledRegistration(UseCase, region, sources, model.Report, "test:retrain-all"), new MemoryStream(pooledArtifact.ToArray())))).Value!;

        var served = new List<PooledTenant>();
        foreach (var tenant in tenants)
        {
            var own = ModelTrainer.Train(tenant.Data, tenant.Effective, useCase.TaskType, Settings);
            using var artifact = new MemoryStream();
            own.Save(artifact);
            var decision = new ServingDecision(ServingChoices.Pooled, "Served by the pooled model: it scores this tenant's test rows better.", pooled.Number, model.Report.Test.HeadlineValue);
            var version = (await ModelVersions.RegisterAsync(App, tenant.Slug, own.Report.Test.HeadlineValue, artifact.ToArray(), serving: decision, report: own.Report)).Value!;
            var gate = (await ModelVersions.WithRegistryAsync(App, r => r.GateAsync(tenant.Slug, UseCase, version.Number, "test:retrain"))).Value!;
            Assert.True(gate.Promoted && gate.Challenger.Id == pooled.Id, gate.Reason);
            served.Add(new PooledTenant(tenant.Slug, tenant.Key, tenant.Data, tenant.Canonical.Served, own, version.Id, version.Number));
        }

        return ((pooled.Id, pooled.Number, model), served[0], served[1]);
    }

    /// <param name="Canonical">Its rows on the use case's columns, as training maps them for the served pool (<see cref="CanonicalTable.From"/>).</param>
    /// <param name="Own">Its own version, whose fitted rules map its rows.</param>
    private sealed record PooledTenant(string Slug, string Key, RawTable Data, RawTable Canonical, TrainedModel Own, Guid VersionId, int Number);

    private static readonly TrainingSettings Settings = new()
    {
        Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true, Folds = 2, ExplainedRows = 2,
    };

    private static string PredictUrl(string slug) => $"/api/v1/predict/{slug}/{UseCase}";

    private HttpClient KeyClient(string key)
    {
        var client = App.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>A tenant with its API key and dataset version 1, a model trained on that data registered as v1 and made champion.</summary>
    private async Task<(string Slug, string Key, RawTable Data, TrainedModel Model)> ChampionAsync(string region)
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("predict");
        var created = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Predict {slug}", slug, region, useCases = new[] { UseCase } })).ReadNodeAsync();
        // Generated from a fixed name, not the random slug: the same rows every run, with both labels in the test split
        // (a random tenant's generated rows could leave the last fifth with one label, and training refuses them).
        var dataset = DemoFile("predict-api-fixture", rows: 800);
        (await UploadAsync(admin, slug, Csv(dataset), "accounts.csv")).EnsureSuccessStatusCode();
        var table = await DemoRawTable.ReadAsync(dataset);
        var useCase = ControlPlane.Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        var effective = RuleInheritance.Effective(FeatureRuleService.Defaults(useCase), DemoRuleSet.For(dataset, table.Schema));
        var model = ModelTrainer.Train(table, effective, useCase.TaskType, Settings);
        var number = await RegisterTrainedAsync(slug, model);
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.GateAsync(slug, UseCase, number, "test:retrain"))).Value!.Promoted);
        return (slug, created["apiKey"]!.GetValue<string>(), table, model);
    }

    private async Task<int> RegisterTrainedAsync(string slug, TrainedModel model)
    {
        using var artifact = new MemoryStream();
        model.Save(artifact);
        var result = await ModelVersions.RegisterAsync(App, slug, model.Report.Test.HeadlineValue, artifact.ToArray(), report: model.Report);
        Assert.True(result.IsOk, result.Message);
        return result.Value!.Number;
    }
}

/// <summary>A small per-tenant rate (5 a second, bursts of 5) so the rate limit can be reached; no other test here sends more than 4 requests per tenant.</summary>
public sealed class PredictFixture<TProvider> : AppFixture<TProvider> where TProvider : IProviderKind
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["ControlPlane:Serving:RequestsPerSecondPerTenant"] = "5",
        ["ControlPlane:Serving:BurstPerTenant"] = "5",
    };
}

public sealed class PredictApiTestsOnSqlite(PredictFixture<Sqlite> fixture) : PredictApiTests<Sqlite>(fixture);

public sealed class PredictApiTestsOnPostgres(PredictFixture<Postgres> fixture) : PredictApiTests<Postgres>(fixture);
