using System.Net;
using System.Text.Json.Nodes;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Registry;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.IntegrationTests.Registry;
using ControlPlane.IntegrationTests.Serving;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Observability;

/// <summary>
/// <c>/metrics</c> answers only a token holder; after predictions for several tenants it shows the predict histogram's
/// buckets and the model cache's counters without a single tenant slug; after a pipeline run, the task durations; drift
/// counts set by the drift feature; and a line a task logs carries its run and task ids in its scope.
/// </summary>
[Collection(MetricsCollection.Name)]
public abstract class MetricsTests<TProvider>(ObservabilityFixture<TProvider> fixture) : IClassFixture<ObservabilityFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Metrics_without_a_token_or_with_an_unknown_one_is_401_and_a_viewer_token_scrapes()
    {
        using var anonymous = App.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);

        using var stranger = App.CreateTokenClient("not-a-token-of-this-server");
        var refused = await stranger.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("controlplane_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // What the decision recommends for a scraper: a token with the least role, Viewer.
        using var admin = App.CreateAdminClient();
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "prometheus", role = Core.Security.Roles.Viewer })).ReadNodeAsync();
        using var scraper = App.CreateTokenClient(issued["secret"]!.GetValue<string>());
        var scraped = await scraper.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("# TYPE ", await scraped.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_predictions_for_several_tenants_the_predict_histogram_and_cache_counters_show_and_no_label_names_a_tenant()
    {
        var slugs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (slug, key, table) = await ChampionAsync($"obs{i}");
            slugs.Add(slug);
            using var client = App.CreateAnonymousClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            for (var n = 0; n < 3; n++)
            {
                var answer = await client.PostAsync($"/api/v1/predict/{slug}/{UseCase}", PredictRows.Body(PredictRows.Rows(table, n, 2)));
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            }
        }

        // A caller cannot mint label values: an invented use case without a valid key counts as "unknown".
        using (var anonymous = App.CreateAnonymousClient())
        {
            var refused = await anonymous.PostAsync($"/api/v1/predict/{slugs[0]}/invented-use-case", PredictRows.Body([]));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var probe = App.CreateAnonymousClient())
        {
            (await probe.GetAsync("/health/live")).EnsureSuccessStatusCode();
        }

        var text = await ScrapeUntilAsync(t => t.Contains("outcome=\"client_error\"", StringComparison.Ordinal)
            && t.Contains("controlplane_model_cache_hits", StringComparison.Ordinal));
        var buckets = Lines(text, "controlplane_predict_duration_seconds_bucket{").ToList();
        Assert.Contains(buckets, l => l.Contains($"use_case=\"{UseCase}\"", StringComparison.Ordinal) && l.Contains("outcome=\"ok\"", StringComparison.Ordinal)
            && l.Contains("le=\"0.0001\"", StringComparison.Ordinal));
        Assert.Contains(buckets, l => l.Contains("use_case=\"unknown\"", StringComparison.Ordinal) && l.Contains("outcome=\"client_error\"", StringComparison.Ordinal));
        var okCount = Lines(text, "controlplane_predict_duration_seconds_count{").Single(l => l.Contains($"use_case=\"{UseCase}\"", StringComparison.Ordinal) && l.Contains("outcome=\"ok\"", StringComparison.Ordinal));
        Assert.True(Value(okCount) >= 9, okCount);
        Assert.Contains(Lines(text, "controlplane_predict_rows"), l => l.Contains($"use_case=\"{UseCase}\"", StringComparison.Ordinal) && Value(l) >= 18);
        Assert.Contains(Lines(text, "controlplane_model_cache_misses"), l => Value(l) >= 3);
        Assert.Contains(Lines(text, "controlplane_model_cache_hits"), l => Value(l) >= 6);
        Assert.Contains("controlplane_model_cache_models", text, StringComparison.Ordinal);
        Assert.Contains(Lines(text, "controlplane_prediction_log_dropped"), l => Value(l) >= 0);

        // Request metrics name the route template, never the path; the liveness probe is one series like any route.
        Assert.Contains(Lines(text, "http_server_request_duration_seconds_count{"), l => l.Contains("http_route=\"/api/v1/predict/{tenant}/{useCase}\"", StringComparison.Ordinal));
        Assert.Contains(Lines(text, "http_server_request_duration_seconds_count{"), l => l.Contains("http_route=\"/health/live\"", StringComparison.Ordinal));
        Assert.Contains("dotnet_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("invented-use-case", text, StringComparison.Ordinal);
        Assert.All(slugs, slug => Assert.DoesNotContain(slug, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_pipeline_run_the_task_durations_show_by_pipeline_task_and_outcome_and_the_task_log_carries_run_and_task_ids()
    {
        using var admin = App.CreateAdminClient();
        var runId = await admin.StartRunAsync(TestPipelines.Diamond, new Dictionary<string, string> { ["key"] = Probe.NewKey() });
        var run = await admin.WaitFinishedAsync(runId);
        Assert.Equal(Core.Pipelines.RunState.Succeeded, run.Run.State);

        var text = await ScrapeUntilAsync(t => Lines(t, "controlplane_task_duration_seconds_count{").Any(l => l.Contains($"pipeline=\"{TestPipelines.Diamond}\"", StringComparison.Ordinal)));
        var counts = Lines(text, "controlplane_task_duration_seconds_count{").Where(l => l.Contains($"pipeline=\"{TestPipelines.Diamond}\"", StringComparison.Ordinal)).ToList();
        Assert.All(["root", "left", "right", "join"], task => Assert.Contains(counts, l => l.Contains($"task=\"{task}\"", StringComparison.Ordinal)
            && l.Contains("outcome=\"succeeded\"", StringComparison.Ordinal) && Value(l) >= 1));
        Assert.Contains("controlplane_task_running", text, StringComparison.Ordinal);
        Assert.Contains("controlplane_task_queued", text, StringComparison.Ordinal);
        // "left" sleeps 400 ms (a timer may fire a little early): its durations are the attempt's, not a dispatch's.
        var left = Lines(text, "controlplane_task_duration_seconds_sum{").Single(l => l.Contains($"pipeline=\"{TestPipelines.Diamond}\"", StringComparison.Ordinal) && l.Contains("task=\"left\"", StringComparison.Ordinal));
        Assert.True(Value(left) >= 0.3 * Value(counts.Single(l => l.Contains("task=\"left\"", StringComparison.Ordinal))), left);

        var rootId = await App.WithDbAsync(db => db.TaskRuns.Where(t => t.RunId == runId && t.Name == "root").Select(t => t.Id).SingleAsync());
        var line = fixture.Logs.Lines.FirstOrDefault(l => l.Category == $"ControlPlane.Tasks.{TestPipelines.Diamond}.root"
            && l.Scope.TryGetValue("RunId", out var r) && Equals(r, runId));
        Assert.NotNull(line);
        Assert.Equal(rootId, line.Scope["TaskId"]);
        Assert.Equal("root", line.Scope["Task"]);
        Assert.Equal(1, line.Scope["Attempt"]);
    }

    [Fact]
    public async Task Drift_counts_set_by_the_drift_feature_are_exported_per_use_case_and_status()
    {
        App.Services.GetRequiredService<DriftGauges>().Set("obs-drift-case", new Dictionary<string, int> { ["ok"] = 7, ["drift"] = 2 });

        var text = await ScrapeUntilAsync(t => t.Contains("use_case=\"obs-drift-case\"", StringComparison.Ordinal));
        var gauges = Lines(text, "controlplane_drift_enrollments").Where(l => l.Contains("use_case=\"obs-drift-case\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, Value(gauges.Single(l => l.Contains("status=\"ok\"", StringComparison.Ordinal))));
        Assert.Equal(2, Value(gauges.Single(l => l.Contains("status=\"drift\"", StringComparison.Ordinal))));
        Assert.Equal(0, Value(gauges.Single(l => l.Contains("status=\"no_data\"", StringComparison.Ordinal))));
        Assert.Throws<ArgumentException>(() => App.Services.GetRequiredService<DriftGauges>().Set("obs-drift-case", new Dictionary<string, int> { ["tenant-x"] = 1 }));
    }

    [Fact]
    public async Task Health_verdict_counts_are_exported_per_use_case_and_verdict()
    {
        App.Services.GetRequiredService<HealthGauges>().Set("obs-health-case", new Dictionary<string, int> { ["healthy"] = 5, ["failing"] = 1 });

        var text = await ScrapeUntilAsync(t => t.Contains("use_case=\"obs-health-case\"", StringComparison.Ordinal));
        var gauges = Lines(text, "controlplane_health_enrollments").Where(l => l.Contains("use_case=\"obs-health-case\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, gauges.Count); // one series per verdict
        Assert.Equal(5, Value(gauges.Single(l => l.Contains("verdict=\"healthy\"", StringComparison.Ordinal))));
        Assert.Equal(1, Value(gauges.Single(l => l.Contains("verdict=\"failing\"", StringComparison.Ordinal))));
        Assert.Equal(0, Value(gauges.Single(l => l.Contains("verdict=\"drift\"", StringComparison.Ordinal))));
        Assert.Throws<ArgumentException>(() => App.Services.GetRequiredService<HealthGauges>().Set("obs-health-case", new Dictionary<string, int> { ["warning"] = 1 }));
    }

    [Fact]
    public async Task A_tenant_request_logs_inside_a_scope_naming_the_tenant_and_never_the_key()
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("obslog");
        var created = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Obs {slug}", slug, region = "us", useCases = new[] { UseCase } })).ReadNodeAsync();
        var firstKey = created["apiKey"]!.GetValue<string>();

        // A key rotation is logged by the tenant service, inside the tenant route's scope; the key itself never is.
        var rotated = await admin.PostAsync($"/api/v1/tenants/{slug}/api-keys/rotate", null);
        Assert.True(rotated.IsSuccessStatusCode, rotated.StatusCode.ToString());
        var newKey = (await rotated.ReadNodeAsync())["apiKey"]!.GetValue<string>();
        using var client = App.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", newKey);
        (await client.PostAsync($"/api/v1/predict/{slug}/{UseCase}", PredictRows.Body([]))).Dispose();

        var line = await Eventually.Until(() => Task.FromResult(fixture.Logs.Lines.FirstOrDefault(l => l.Category.EndsWith(".TenantService", StringComparison.Ordinal)
            && l.Message.Contains("rotated", StringComparison.Ordinal) && l.Message.Contains(slug, StringComparison.Ordinal))), l => l is not null, "the rotation's log line");
        Assert.Equal(slug, line!.Scope["Tenant"]);
        // The predict request's own lines (the endpoint it ran) carry the tenant and the use case.
        Assert.Contains(fixture.Logs.Lines, l => l.Category.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal)
            && l.Message.Contains("Predict", StringComparison.Ordinal) && Equals(l.Scope.GetValueOrDefault("Tenant"), slug)
            && Equals(l.Scope.GetValueOrDefault("UseCase"), UseCase));
        foreach (var secret in new[] { firstKey, newKey, ControlPlaneApp.AdminToken })
        {
            Assert.DoesNotContain(fixture.Logs.Lines, l => l.Message.Contains(secret, StringComparison.Ordinal)
                || l.Scope.Values.Any(v => v?.ToString()?.Contains(secret, StringComparison.Ordinal) == true));
        }
    }

    private async Task<string> ScrapeUntilAsync(Func<string, bool> done)
    {
        using var admin = App.CreateAdminClient();
        return await Eventually.Until(async () =>
        {
            var response = await admin.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }, done, "the metrics", describe: t => string.Join(", ", Lines(t, "# TYPE ")));
    }

    private static IEnumerable<string> Lines(string text, string prefix) =>
        text.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal));

    private static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A tenant with a trained champion (logistic regression, default settings: a second or two) and its key.</summary>
    private async Task<(string Slug, string Key, RawTable Table)> ChampionAsync(string prefix)
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New(prefix);
        var created = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Obs {slug}", slug, region = "us", useCases = new[] { UseCase } })).ReadNodeAsync();
        var key = created["apiKey"]!.GetValue<string>();
        var dataset = DemoFile(slug, rows: 500);
        (await UploadAsync(admin, slug, Csv(dataset), "accounts.csv")).EnsureSuccessStatusCode();
        var table = await DemoRawTable.ReadAsync(dataset);
        var useCase = Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        var effective = RuleInheritance.Effective(FeatureRuleService.Defaults(useCase), DemoRuleSet.For(dataset, table.Schema));
        var model = ModelTrainer.Train(table, effective, useCase.TaskType, new TrainingSettings
        {
            Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true, Folds = 2, ExplainedRows = 2,
        });
        using var artifact = new MemoryStream();
        model.Save(artifact);
        var registered = await ModelVersions.RegisterAsync(App, slug, model.Report.Test.HeadlineValue, artifact.ToArray(), report: model.Report);
        Assert.True(registered.IsOk, registered.Message);
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, registered.Value!.Number, AliasNames.Champion, "test", "first"))).IsOk);
        return (slug, key, table);
    }
}

public sealed class MetricsTestsOnSqlite(ObservabilityFixture<Sqlite> fixture) : MetricsTests<Sqlite>(fixture);

public sealed class MetricsTestsOnPostgres(ObservabilityFixture<Postgres> fixture) : MetricsTests<Postgres>(fixture);
