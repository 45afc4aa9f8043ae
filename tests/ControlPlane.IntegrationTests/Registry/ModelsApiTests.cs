using System.Net;
using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Security;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.IntegrationTests.Registry.ModelVersions;

namespace ControlPlane.IntegrationTests.Registry;

public abstract class ModelsApiTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Versions_list_with_headline_and_aliases_and_a_version_shows_lineage_and_report()
    {
        using var admin = App.CreateAdminClient();
        var slug = await EnrollmentWithDatasetAsync(App, "eu");
        var v1 = await RegisteredAsync(App, slug, 0.8);
        await WithRegistryAsync(App, r => r.GateAsync(slug, UseCase, v1, "test:retrain"));
        Assert.True((await RegisterAsync(App, slug, 0.75, report: Report(0.75, logLoss: double.NaN))).IsOk);

        var list = await (await admin.GetAsync(Url(slug))).ReadNodeAsync();
        var details = await admin.GetAsync($"{Url(slug)}/1");
        var missing = await admin.GetAsync($"{Url(slug)}/9");

        var versions = list["versions"]!.AsArray();
        Assert.Equal([2, 1], versions.Select(v => v!["number"]!.GetValue<int>()));
        Assert.Equal(0.8, versions[1]!["headlineValue"]!.GetValue<double>());
        Assert.Equal(["challenger", "champion"], versions[1]!["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("champion", list["aliases"]![1]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
        var body = await details.ReadNodeAsync();
        Assert.Equal(1, body["summary"]!["datasetVersionNumber"]!.GetValue<int>());
        Assert.Equal(64, body["datasetSha256"]!.GetValue<string>().Length);
        Assert.Equal("Binary", body["report"]!["task"]!.GetValue<string>());
        Assert.Equal(3, body["report"]!["test"]!["roc"]!.AsArray().Count);
        Assert.Null(body["artifactPath"]);
        var undefined = await admin.GetAsync($"{Url(slug)}/2");
        Assert.Equal(HttpStatusCode.OK, undefined.StatusCode);
        Assert.Equal("NaN", (await undefined.ReadNodeAsync())["report"]!["test"]!["logLoss"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no version 9", (await missing.ReadNodeAsync())["detail"]!.GetValue<string>());
        var stranger = await admin.GetAsync(Url("no-such-tenant"));
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Contains("'no-such-tenant' is not enrolled in 'churn-risk'", (await stranger.ReadNodeAsync())["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Promote_and_rollback_need_a_reason_and_are_kept_in_the_history_and_the_live_query()
    {
        using var admin = App.CreateAdminClient();
        var slug = await EnrollmentWithDatasetAsync(App, "us");
        await RegisteredAsync(App, slug, 0.8);
        await RegisteredAsync(App, slug, 0.7);

        var noReason = await admin.PostJsonAsync($"{Url(slug)}/2/promote", new { alias = "champion" });
        var badAlias = await admin.PostJsonAsync($"{Url(slug)}/2/promote", new { alias = "prod", reason = "go" });
        var promote1 = await admin.PostJsonAsync($"{Url(slug)}/1/promote", new { alias = "champion", reason = "baseline" });
        var promote2 = await admin.PostJsonAsync($"{Url(slug)}/2/promote", new { alias = "champion", reason = "simpler" });
        var rollback = await admin.PostJsonAsync($"{Url(slug)}/rollback", new { reason = "v2 drifts" });
        var emptyRollback = await admin.PostJsonAsync($"{Url(slug)}/rollback", new { });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("needs a reason", (await noReason.ReadNodeAsync()).FieldErrors("reason")[0]);
        Assert.Contains("'champion' or 'challenger'", (await badAlias.ReadNodeAsync()).FieldErrors("alias")[0]);
        Assert.Equal(HttpStatusCode.OK, promote1.StatusCode);
        Assert.Equal(2, (await promote2.ReadNodeAsync())["to"]!["number"]!.GetValue<int>());
        var rolledBack = await rollback.ReadNodeAsync();
        Assert.Equal((2, 1), (rolledBack["from"]!["number"]!.GetValue<int>(), rolledBack["to"]!["number"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.BadRequest, emptyRollback.StatusCode);
        Assert.NotEmpty((await emptyRollback.ReadNodeAsync()).FieldErrors("reason"));

        var history = (await (await admin.GetAsync($"{Url(slug)}/aliases/history?alias=champion")).ReadNodeAsync()).AsArray();
        Assert.Equal([3, 2, 1], history.Select(c => c!["sequence"]!.GetValue<int>()));
        Assert.Equal("Rollback from v2 to v1: v2 drifts", history[0]!["reason"]!.GetValue<string>());
        var secondAt = history[1]!["at"]!.GetValue<DateTime>().ToUniversalTime();

        var before = await (await admin.GetAsync($"{Url(slug)}/live?at=2000-01-01T00:00:00Z")).ReadNodeAsync();
        var during = await (await admin.GetAsync($"{Url(slug)}/live?at={secondAt:O}")).ReadNodeAsync();
        var now = await (await admin.GetAsync($"{Url(slug)}/live?at={DateTime.UtcNow.AddHours(1):O}")).ReadNodeAsync();
        var badDate = await admin.GetAsync($"{Url(slug)}/live?at=yesterday");
        var badHistory = await admin.GetAsync($"{Url(slug)}/aliases/history?alias=prod");

        Assert.Null(before["version"]);
        Assert.Equal(2, during["version"]!["number"]!.GetValue<int>());
        Assert.Equal(1, now["version"]!["number"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("'yesterday' is not a date", (await badDate.ReadNodeAsync()).FieldErrors("at")[0]);
        Assert.NotEmpty((await badHistory.ReadNodeAsync()).FieldErrors("alias"));
    }

    [Fact]
    public async Task A_promote_of_another_enrollments_pooled_version_is_refused_and_a_viewer_cannot_promote()
    {
        using var admin = App.CreateAdminClient();
        var slug = await EnrollmentWithDatasetAsync(App, "us");
        await RegisteredAsync(App, slug, 0.8);

        var noPool = await admin.PostJsonAsync($"{Url(slug)}/1/promote", new { alias = "champion", reason = "pool", pooled = true });
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "viewer", role = Roles.Viewer })).ReadNodeAsync();
        using var viewer = App.CreateTokenClient(issued["secret"]!.GetValue<string>());
        var byViewer = await viewer.PostJsonAsync($"{Url(slug)}/1/promote", new { alias = "champion", reason = "I like it" });
        var viewerRollback = await viewer.PostJsonAsync($"{Url(slug)}/rollback", new { reason = "undo" });

        var noPoolDetails = await admin.GetAsync($"{Url(slug)}/pooled/1");

        Assert.Equal(HttpStatusCode.NotFound, noPoolDetails.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noPool.StatusCode);
        Assert.Contains("no pooled version 1 of 'churn-risk' in region 'us'", (await noPool.ReadNodeAsync())["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerRollback.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(Url(slug))).StatusCode);
        Assert.Empty((await WithRegistryAsync(App, r => r.HistoryAsync(slug, UseCase))).Value!);
    }

    [Fact]
    public async Task A_pooled_version_is_shown_and_promoted_for_enrollments_of_its_region_only()
    {
        using var admin = App.CreateAdminClient();
        var near = await EnrollmentWithDatasetAsync(App, "eu");
        var far = await EnrollmentWithDatasetAsync(App, "us");
        var sources = await App.WithDbAsync(db => db.DatasetVersions.Where(d => d.Enrollment!.Tenant!.Slug == near)
            .Select(d => new PooledSource(near, d.Id, d.Number, d.Sha256, 0)).ToListAsync());
        var pooled = (await WithRegistryAsync(App, r => r.RegisterPooledAsync(
            new PooledRegistration(UseCase, "eu", sources, Report(0.77), "test:retrain-all"), new MemoryStream(Artifact("pool"))))).Value!;

        var shown = await admin.GetAsync($"{Url(near)}/pooled/{pooled.Number}");
        var hidden = await admin.GetAsync($"{Url(far)}/pooled/{pooled.Number}");
        var promoted = await admin.PostJsonAsync($"{Url(near)}/{pooled.Number}/promote", new { alias = "champion", reason = "too little data", pooled = true });

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal(near, (await shown.ReadNodeAsync())["pooledSources"]![0]!["tenant"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        var change = await promoted.ReadNodeAsync();
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal((ModelVersionKinds.Pooled, pooled.Number), (change["to"]!["kind"]!.GetValue<string>(), change["to"]!["number"]!.GetValue<int>()));
        var list = await (await admin.GetAsync(Url(near))).ReadNodeAsync();
        Assert.Equal(ModelVersionKinds.Pooled, list["versions"]!.AsArray().Single(v => v!["aliases"]!.AsArray().Count > 0)!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Of_two_promotes_at_once_one_wins_and_the_other_gets_409()
    {
        using var admin = App.CreateAdminClient();
        var slug = await EnrollmentWithDatasetAsync(App, "us");
        await RegisteredAsync(App, slug, 0.8);
        await RegisteredAsync(App, slug, 0.81);
        await RegisteredAsync(App, slug, 0.82);
        (await admin.PostJsonAsync($"{Url(slug)}/1/promote", new { alias = "champion", reason = "first" })).EnsureSuccessStatusCode();

        // Both requests read the champion, then queue behind this lock on its row with their update.
        HttpResponseMessage[] responses;
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            await using var hold = await db.Database.BeginTransactionAsync();
            await db.ModelAliases.Where(a => a.Enrollment!.Tenant!.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(a => a.UpdatedBy, a => a.UpdatedBy));
            var promotes = new[] { 2, 3 }.Select(n => Task.Run(() =>
                admin.PostJsonAsync($"{Url(slug)}/{n}/promote", new { alias = "champion", reason = $"v{n} is better" }))).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await hold.CommitAsync();
            responses = await Task.WhenAll(promotes);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var problem = await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ReadNodeAsync();
        Assert.Contains("moved by someone else", problem.FieldErrors("alias")[0]);
        var history = (await (await admin.GetAsync($"{Url(slug)}/aliases/history")).ReadNodeAsync()).AsArray();
        Assert.Equal(2, history.Count);
        Assert.Equal(history[1]!["to"]!["id"]!.GetValue<Guid>(), history[0]!["from"]!["id"]!.GetValue<Guid>());
    }

    private static string Url(string slug) => $"/api/v1/tenants/{slug}/use-cases/{UseCase}/models";
}

public sealed class ModelsApiTestsOnSqlite(AppFixture<Sqlite> fixture) : ModelsApiTests<Sqlite>(fixture);

public sealed class ModelsApiTestsOnPostgres(AppFixture<Postgres> fixture) : ModelsApiTests<Postgres>(fixture);
