using System.Text.Json.Nodes;
using System.Net;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Registry;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

public abstract class RetrainAllTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    // The only use case this class enrolls tenants in: retrain-all fans out over exactly the tenants made here.
    private const string UseCase = DemoUseCaseKeys.LeadScoring;

    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_dataset_blocked_under_rules_since_corrected_is_judged_again_and_pooled()
    {
        // Another use case than the other tests', so this retrain-all fans out over these two tenants only.
        const string useCase = DemoUseCaseKeys.ChurnRisk;
        using var admin = App.CreateAdminClient();
        var mapped = await RetrainTenants.CreateAsync(App, admin, useCase, "us", rows: 400, seed: 7);
        var corrected = await RetrainTenants.CreateAsync(App, admin, useCase, "us", rows: 400, seed: 8);
        var good = await DemoRuleSet.ForAsync(RetrainTenants.Demo(corrected, useCase, 400, 8));

        // The second tenant's data is ingested while its rules name a label column it does not have: validation blocks it.
        await RetrainTenants.SaveRulesAsync(App, corrected, useCase, good with { Label = new ML.Rules.LabelRule { Source = "no_such_column" } });
        var blocked = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh, tenant: corrected, useCase: useCase));
        Assert.Equal(RunState.Failed, blocked.Run.State);
        var ok = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh, tenant: mapped, useCase: useCase));
        Assert.True(ok.Run.State == RunState.Succeeded, RunsClient.Describe(ok));

        // Its rules are put right; retrain-all's pool judges its data by them, as its own retrain does, and pools it.
        await RetrainTenants.SaveRulesAsync(App, corrected, useCase, good);
        var response = await admin.PostAsync($"/api/v1/use-cases/{useCase}/retrain", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var run = await admin.WaitFinishedAsync((await response.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(5));

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Contains("us: pooled v1 from 2 tenants", run.Task(PooledTask.Name).ProgressMessage);
        Assert.DoesNotContain("Left out", run.Task(PooledTask.Name).ProgressMessage);
    }

    [Fact]
    public async Task Retrain_all_pools_each_region_then_retrains_every_tenant_deciding_own_or_pooled()
    {
        using var admin = App.CreateAdminClient();
        var big = await RetrainTenants.CreateAsync(App, admin, UseCase, "us", rows: 700, seed: 3, slug: "pool-big");
        var other = await RetrainTenants.CreateAsync(App, admin, UseCase, "us", rows: 600, seed: 4, slug: "pool-other");
        var small = await RetrainTenants.CreateAsync(App, admin, UseCase, "us", rows: 150, seed: 5, slug: "pool-small");
        var alone = await RetrainTenants.CreateAsync(App, admin, UseCase, "eu", rows: 500, seed: 6, slug: "pool-alone");
        // Pooling reads dataset versions: make them (retrain-all's children would ingest too, but after the pool).
        foreach (var slug in new[] { big, other, small, alone })
        {
            var refresh = await admin.WaitFinishedAsync(await admin.StartRunAsync(DataPipelines.DataRefresh, tenant: slug, useCase: UseCase));
            Assert.True(refresh.Run.State == RunState.Succeeded, RunsClient.Describe(refresh));
        }

        var response = await admin.PostAsync($"/api/v1/use-cases/{UseCase}/retrain", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var runId = (await response.ReadNodeAsync())["runId"]!.GetValue<Guid>();
        var run = await admin.WaitFinishedAsync(runId, TimeSpan.FromMinutes(5));

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Equal(RetrainPipelines.RetrainAll, run.Run.Pipeline);
        Assert.Equal(new[] { big, other, small, alone }.Order(), run.Children.Select(c => c.Tenant).Order());
        Assert.All(run.Children, c => Assert.Equal(RunState.Succeeded, c.State));
        var pooledMessage = run.Task(PooledTask.Name).ProgressMessage!;
        Assert.Contains("eu: no pooled model (1 tenant(s) with usable data; a pool needs 2).", pooledMessage);
        Assert.Contains("us: pooled v1 from 3 tenants", pooledMessage);

        var registry = (IServiceProvider s) => s.GetRequiredService<ModelRegistry>();
        var pooled = await App.WithScopeAsync(s => registry(s).GetPooledAsync(UseCase, "us", 1));
        Assert.True(pooled.IsOk, pooled.Message);
        Assert.Equal(new[] { big, other, small }.Order(), pooled.Value!.PooledSources.Select(p => p.Tenant).Order());
        Assert.Equal(runId, pooled.Value.RunId);

        var smallVersion = await App.WithScopeAsync(s => registry(s).GetAsync(small, UseCase, 1));
        Assert.Equal(ServingChoices.Pooled, smallVersion.Value!.ServingChoice);
        // Its own model does not beat the pool beyond noise on its 30 validation rows (both figures with their intervals).
        Assert.StartsWith("Served by pooled v1: ", smallVersion.Value.ServingReason);
        Assert.Contains($"this tenant's {smallVersion.Value.Report.Split.ValidationRows} validation rows", smallVersion.Value.ServingReason);
        var smallAliases = await App.WithScopeAsync(s => registry(s).ListAsync(small, UseCase));
        Assert.Equal("pooled v1", smallAliases.Value!.Aliases.Single(a => a.Name == AliasNames.Champion).Version.ToString());

        var bigVersion = await App.WithScopeAsync(s => registry(s).GetAsync(big, UseCase, 1));
        Assert.NotNull(bigVersion.Value!.ServingChoice); // own or pooled, decided on its own validation rows
        Assert.Contains("on this tenant's", bigVersion.Value.ServingReason);
        Assert.NotNull(bigVersion.Value.PooledHeadlineValue);
        var aloneVersion = await App.WithScopeAsync(s => registry(s).GetAsync(alone, UseCase, 1));
        Assert.Null(aloneVersion.Value!.ServingChoice); // no pool in its region: its own model serves

        // The small tenant predicts in real time through the pool: rows in its own columns, mapped by its own v1's rules.
        var key = (await (await admin.PostAsync($"/api/v1/tenants/{small}/api-keys/rotate", null)).ReadNodeAsync())["apiKey"]!.GetValue<string>();
        var rows = await DemoRawTable.ReadAsync(RetrainTenants.Demo(small, UseCase, rows: 150, seed: 5));
        using var client = App.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var predicted = await client.PostAsync($"/api/v1/predict/{small}/{UseCase}", Serving.PredictRows.Body(Serving.PredictRows.Rows(rows, 0, 3)));
        Assert.True(predicted.StatusCode == HttpStatusCode.OK, await predicted.Content.ReadAsStringAsync());
        var answer = await predicted.ReadNodeAsync();
        Assert.Equal("{\"kind\":\"pooled\",\"number\":1,\"mappedBy\":{\"kind\":\"own\",\"number\":1}}", answer["model"]!.ToJsonString());
        Assert.All(answer["predictions"]!.AsArray(), p => Assert.InRange(p!["probability"]!.GetValue<double>(), 0, 1));

        // A batch score of its data goes through the same mapping: the pool's scores, as real time gives them.
        var batch = await admin.PostJsonAsync($"/api/v1/tenants/{small}/use-cases/{UseCase}/batch-scores", new { });
        Assert.True(batch.StatusCode == HttpStatusCode.Accepted, await batch.Content.ReadAsStringAsync());
        var batchRun = await admin.WaitFinishedAsync((await batch.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(2));
        Assert.True(batchRun.Run.State == RunState.Succeeded, RunsClient.Describe(batchRun));
        // Its drift check compares the mapped rows with the pooled model's baselines.
        var drift = await (await admin.GetAsync($"/api/v1/tenants/{small}/use-cases/{UseCase}/drift")).ReadNodeAsync();
        Assert.True(drift["windows"]!.AsArray().Count > 0, drift.ToJsonString());
        Assert.Equal("pooled v1", drift["latest"]!["version"]!.GetValue<string>());
        var (snapshotPath, snapshotRegion, rowCount) = await App.WithDbAsync(async db =>
        {
            var v = await db.DatasetVersions.Where(d => d.Enrollment!.Tenant!.Slug == small).OrderByDescending(d => d.Number).FirstAsync();
            return (v.SnapshotPath, v.Region, v.RowCount);
        });
        var scored = await (await admin.GetAsync($"/api/v1/tenants/{small}/use-cases/{UseCase}/predictions?pageSize=1000")).ReadNodeAsync();
        Assert.Equal(rowCount, scored["totalCount"]!.GetValue<long>());
        Assert.All(scored["items"]!.AsArray(), p => Assert.Equal("pooled v1", p!["model"]!.GetValue<string>()));
        var snapshot = await Core.Datasets.Tabular.SnapshotReader.ReadAsync(
            App.Services.GetRequiredService<Core.Storage.RegionCatalog>().StoreFor(snapshotRegion), snapshotPath, maxRows: 3);
        var online = await (await client.PostAsync($"/api/v1/predict/{small}/{UseCase}", Serving.PredictRows.Body(Serving.PredictRows.Rows(snapshot, 0, 3)))).ReadNodeAsync();
        var byKey = scored["items"]!.AsArray().Where(p => p!["entityKey"] is not null).ToDictionary(p => p!["entityKey"]!.GetValue<string>(), p => p!["score"]!.GetValue<double>());
        foreach (var p in online["predictions"]!.AsArray())
        {
            Assert.Equal(byKey[p!["entityKey"]!.GetValue<string>()], p["probability"]!.GetValue<double>(), precision: 6);
        }

        // Cost and value per tenant (issue 17 point 7): every tenant's training CPU and artifacts; the small tenant's kept
        // and served predictions; the lift over the pool with its interval where a pool was there to compare with.
        await Eventually.TrueAsync(async () => (await App.WithDbAsync(db => db.PredictLatencyDays.Where(l => db.Enrollments.Any(e => e.Id == l.EnrollmentId && e.Tenant!.Slug == small)).SumAsync(l => l.Count))) >= 2,
            "the small tenant's requests counted by the latency recorder");
        var costs = await (await admin.GetAsync($"/api/v1/use-cases/{UseCase}/cost-value")).ReadNodeAsync();
        var tenants = costs["tenants"]!.AsArray().ToDictionary(t => t!["tenant"]!.GetValue<string>(), t => t!);
        Assert.Equal(new[] { big, other, small, alone }.Order(), tenants.Keys.Order());
        Assert.All(tenants.Values, t =>
        {
            Assert.True(t["trainingCpuSeconds"]!.GetValue<double>() > 0, t.ToJsonString());
            Assert.True(t["artifactBytes"]!.GetValue<long>() > 0, t.ToJsonString());
            Assert.Equal(1, t["ownVersions"]!.GetValue<int>());
        });
        Assert.Equal(rowCount, tenants[small]["batchRowsStored"]!.GetValue<long>());
        Assert.True(tenants[small]["requestsServed30Days"]!.GetValue<long>() >= 2);
        Assert.Equal("pooled v1", tenants[small]["serving"]!.GetValue<string>());
        Assert.Equal(("unknown", (JsonNode?)null), (tenants[alone]["worth"]!.GetValue<string>(), tenants[alone]["lift"]));
        Assert.Contains("No pooled model", tenants[alone]["worthReason"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var slug in new[] { big, other, small })
        {
            var t = tenants[slug];
            Assert.Contains(t["worth"]!.GetValue<string>(), new[] { "yes", "no", "unknown" });
            if (t["worth"]!.GetValue<string>() != "unknown")
            {
                var (lift, low, high) = (t["lift"]!.GetValue<double>(), t["liftLow"]!.GetValue<double>(), t["liftHigh"]!.GetValue<double>());
                Assert.True(low <= lift && lift <= high, t.ToJsonString());
                // Worth it exactly when the whole interval lies above zero.
                Assert.Equal(low > 0, t["worth"]!.GetValue<string>() == "yes");
            }
        }

        // The small tenant is served by the pool: its own model is not worth it.
        Assert.NotEqual("yes", tenants[small]["worth"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retrain_all_runs_for_a_use_case_and_never_for_one_tenant()
    {
        using var admin = App.CreateAdminClient();

        var withoutUseCase = await admin.PostJsonAsync("/api/v1/runs", new { pipeline = RetrainPipelines.RetrainAll });
        var retrainWithoutTenant = await admin.PostJsonAsync("/api/v1/runs", new { pipeline = RetrainPipelines.Retrain, useCase = UseCase });

        Assert.Equal(HttpStatusCode.BadRequest, withoutUseCase.StatusCode);
        Assert.Contains("Pipeline 'retrain-all' runs for every tenant of a use case: it needs an existing use case.",
            (await withoutUseCase.ReadNodeAsync()).FieldErrors("UseCase"));
        Assert.Equal(HttpStatusCode.BadRequest, retrainWithoutTenant.StatusCode);
        Assert.Contains($"Tenant '' is not enrolled in use case '{UseCase}'.", (await retrainWithoutTenant.ReadNodeAsync()).FieldErrors("Tenant"));
        // Another use case than the one the fan-out test counts tenants of.
        var slug = Infrastructure.TestSlugs.New("rt");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = slug, slug, region = "us", useCases = new[] { DemoUseCaseKeys.ResolutionTime } })).EnsureSuccessStatusCode();
        var schedule = await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/{DemoUseCaseKeys.ResolutionTime}/schedules",
            new { pipeline = RetrainPipelines.RetrainAll, cron = "0 3 * * *" });
        Assert.Contains("Pipeline 'retrain-all' runs for every tenant of a use case and cannot be scheduled per enrollment.",
            (await schedule.ReadNodeAsync()).FieldErrors("Pipeline"));
    }

    [Fact]
    public async Task Retrain_all_of_an_unknown_use_case_is_404()
    {
        using var admin = App.CreateAdminClient();

        var response = await admin.PostAsync("/api/v1/use-cases/no-such-use-case/retrain", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Use case 'no-such-use-case' does not exist.", (await response.ReadNodeAsync())["detail"]!.GetValue<string>());
    }
}

public sealed class RetrainAllTestsOnSqlite(RetrainFixture<Sqlite> fixture) : RetrainAllTests<Sqlite>(fixture);

public sealed class RetrainAllTestsOnPostgres(RetrainFixture<Postgres> fixture) : RetrainAllTests<Postgres>(fixture);
