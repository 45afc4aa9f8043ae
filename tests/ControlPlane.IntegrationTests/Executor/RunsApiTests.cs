using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Executor;

public abstract class RunsApiTests<TProvider>(ExecutorFixture<TProvider> fixture) : IClassFixture<ExecutorFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task An_unknown_or_missing_pipeline_is_a_problem_naming_Pipeline_and_starts_nothing()
    {
        using var client = App.CreateAdminClient();
        var before = await App.WithDbAsync(db => db.PipelineRuns.CountAsync());

        var unknown = await client.PostJsonAsync("/api/v1/runs", new { pipeline = "no-such-pipeline" });
        var missing = await client.PostJsonAsync("/api/v1/runs", new { });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var message = Assert.Single((await unknown.ReadNodeAsync()).FieldErrors("Pipeline"));
        Assert.Contains("'no-such-pipeline' is not defined", message, StringComparison.Ordinal);
        Assert.Contains("demo", message, StringComparison.Ordinal); // it lists the known ones
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("Pipeline is required.", (await missing.ReadNodeAsync()).FieldErrors("Pipeline"));
        Assert.Equal(before, await App.WithDbAsync(db => db.PipelineRuns.CountAsync()));
    }

    [Fact]
    public async Task A_tenant_not_enrolled_in_the_use_case_is_a_problem_naming_Tenant_and_starts_nothing()
    {
        using var client = App.CreateAdminClient();
        var tenant = await FairShareAndFanOutTests<TProvider>.CreateTenantAsync(client, "churn-risk");
        var before = await App.WithDbAsync(db => db.PipelineRuns.CountAsync());

        var notEnrolled = await client.PostJsonAsync("/api/v1/runs", new { pipeline = "demo", tenant, useCase = "lead-scoring" });
        var noTenant = await client.PostJsonAsync("/api/v1/runs", new { pipeline = "demo", tenant = "nobody-here", useCase = "churn-risk" });
        var fanOutWithoutUseCase = await client.PostJsonAsync("/api/v1/runs", new { pipeline = "demo-all" });

        Assert.Equal(HttpStatusCode.BadRequest, notEnrolled.StatusCode);
        Assert.Contains($"Tenant '{tenant}' is not enrolled in use case 'lead-scoring'.", (await notEnrolled.ReadNodeAsync()).FieldErrors("Tenant"));
        Assert.Equal(HttpStatusCode.BadRequest, noTenant.StatusCode);
        Assert.Contains("Tenant 'nobody-here' is not enrolled in use case 'churn-risk'.", (await noTenant.ReadNodeAsync()).FieldErrors("Tenant"));
        Assert.Equal(HttpStatusCode.BadRequest, fanOutWithoutUseCase.StatusCode);
        Assert.NotEmpty((await fanOutWithoutUseCase.ReadNodeAsync()).FieldErrors("UseCase"));
        Assert.Equal(before, await App.WithDbAsync(db => db.PipelineRuns.CountAsync()));
    }

    [Fact]
    public async Task Unknown_runs_are_not_found_for_every_route()
    {
        using var client = App.CreateAdminClient();
        var id = Guid.NewGuid();

        var cancel = await client.PostAsync($"/api/v1/runs/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Contains(id.ToString(), (await cancel.ReadNodeAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/v1/runs/{id}/rerun-failed", null)).StatusCode);
        Assert.False(await App.WithDbAsync(db => db.PipelineRuns.AnyAsync(r => r.Id == id)));
    }

    [Fact]
    public async Task A_viewer_may_read_runs_but_not_start_cancel_or_clear_them()
    {
        using var admin = App.CreateAdminClient();
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "runs-viewer", role = "Viewer" })).ReadNodeAsync();
        using var viewer = App.CreateTokenClient(issued["secret"]!.GetValue<string>());
        var runId = await admin.StartRunAsync(TestPipelines.Flaky, new Dictionary<string, string> { ["key"] = Probe.NewKey(), ["failures"] = "0" });
        var before = await App.WithDbAsync(db => db.PipelineRuns.CountAsync());

        var start = await viewer.PostJsonAsync("/api/v1/runs", new { pipeline = "demo" });

        Assert.Equal(HttpStatusCode.Forbidden, start.StatusCode);
        Assert.Contains("Viewer", (await start.ReadNodeAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/runs/{runId}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/runs/{runId}/tasks/flaky/clear", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/runs/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/runs")).StatusCode);
        Assert.Equal(before, await App.WithDbAsync(db => db.PipelineRuns.CountAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateAnonymousClient().GetAsync("/api/v1/runs")).StatusCode);
    }

    [Fact]
    public async Task Run_history_filters_by_tenant_pipeline_state_and_time_and_pages_newest_first()
    {
        using var client = App.CreateAdminClient();
        var a = await FairShareAndFanOutTests<TProvider>.CreateTenantAsync(client, "churn-risk");
        var b = await FairShareAndFanOutTests<TProvider>.CreateTenantAsync(client, "churn-risk");
        var aRuns = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            aRuns.Add(await client.StartRunAsync(TestPipelines.Flaky,
                new Dictionary<string, string> { ["key"] = Probe.NewKey(), ["failures"] = i == 3 ? "5" : "0" }, a, "churn-risk"));
        }

        var bRuns = new List<Guid>
        {
            await client.StartRunAsync(TestPipelines.Flaky, new Dictionary<string, string> { ["key"] = Probe.NewKey(), ["failures"] = "0" }, b, "churn-risk"),
            await client.StartRunAsync(TestPipelines.Diamond, new Dictionary<string, string> { ["key"] = Probe.NewKey() }, b, "churn-risk"),
        };
        var finished = new Dictionary<Guid, RunSummary>();
        foreach (var id in aRuns.Concat(bRuns))
        {
            finished[id] = (await client.WaitFinishedAsync(id)).Run;
        }

        var all = await QueryAsync(client, $"tenant={a}");
        Assert.Equal(4, all.TotalCount);
        Assert.Equal(Enumerable.Reverse(aRuns), all.Items.Select(r => r.Id)); // newest first
        Assert.All(all.Items, r => Assert.Equal(a, r.Tenant));

        Assert.Equal([aRuns[3]], (await QueryAsync(client, $"tenant={a}&state=Failed")).Items.Select(r => r.Id));
        // A failed run's tasks say what ran, what failed and what never ran; finished ones count every task.
        var failedRun = (await QueryAsync(client, $"tenant={a}&state=Failed")).Items.Single();
        Assert.True(failedRun.Tally is { Failed: >= 1 } t && t.Total == failedRun.TaskCount, $"{failedRun.Tally}");
        Assert.Contains("failed", failedRun.Tally!.Text(failedRun.State), StringComparison.Ordinal);
        Assert.All(all.Items.Where(r => r.State == RunState.Succeeded), r => Assert.Equal(r.TaskCount, r.Tally!.Succeeded));
        Assert.Equal([aRuns[3]], (await QueryAsync(client, $"tenant={a}&pipeline={TestPipelines.Flaky}&state=Failed")).Items.Select(r => r.Id));
        Assert.Equal([bRuns[1]], (await QueryAsync(client, $"tenant={b}&pipeline={TestPipelines.Diamond}")).Items.Select(r => r.Id));
        Assert.Empty((await QueryAsync(client, $"tenant={b}&state=Cancelled")).Items);

        // Time: both ends included (decision 0051) — runs created at or after the third of A's runs, at or before it, at it.
        var thirdAt = finished[aRuns[2]].CreatedAt;
        var third = thirdAt.ToString("O", CultureInfo.InvariantCulture);
        Assert.Equal([aRuns[3], aRuns[2]], (await QueryAsync(client, $"tenant={a}&from={Uri.EscapeDataString(third)}")).Items.Select(r => r.Id));
        Assert.Equal([aRuns[2], aRuns[1], aRuns[0]], (await QueryAsync(client, $"tenant={a}&to={Uri.EscapeDataString(third)}")).Items.Select(r => r.Id));
        Assert.Equal([aRuns[2]], (await QueryAsync(client, $"tenant={a}&from={Uri.EscapeDataString(third)}&to={Uri.EscapeDataString(third)}")).Items.Select(r => r.Id));
        var today = thirdAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(4, (await QueryAsync(client, $"tenant={a}&from={today}&to={today}")).TotalCount);

        var page0 = await QueryAsync(client, $"tenant={a}&pageSize=3&page=0");
        var page1 = await QueryAsync(client, $"tenant={a}&pageSize=3&page=1");
        Assert.Equal((4, 3), (page0.TotalCount, page0.Items.Count));
        Assert.Equal((4, 1), (page1.TotalCount, page1.Items.Count));
        Assert.Equal(all.Items.Select(r => r.Id), page0.Items.Concat(page1.Items).Select(r => r.Id));
        Assert.Empty((await QueryAsync(client, $"tenant={a}&pageSize=3&page=2")).Items);

        var badPage = await client.GetAsync("/api/v1/runs?pageSize=0");
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.NotEmpty((await badPage.ReadNodeAsync()).FieldErrors("pageSize"));
        var before = thirdAt.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture);
        var backwards = await client.GetAsync($"/api/v1/runs?from={Uri.EscapeDataString(third)}&to={Uri.EscapeDataString(before)}");
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("is before from", (await backwards.ReadNodeAsync()).FieldErrors("to").Single(), StringComparison.Ordinal);
        var garbled = await client.GetAsync("/api/v1/runs?from=last-tuesday");
        Assert.Equal(HttpStatusCode.BadRequest, garbled.StatusCode);
        Assert.Contains("a day (yyyy-MM-dd) or a date-time", (await garbled.ReadNodeAsync()).FieldErrors("from").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pipelines_list_names_the_test_and_demo_pipelines_with_their_tasks()
    {
        using var client = App.CreateAdminClient();

        var pipelines = (await client.GetFromJsonAsync<List<PipelineInfo>>("/api/v1/pipelines", Json.Options))!;

        Assert.Equal(["extract", "validate", "featurize-numbers", "featurize-text", "train", "evaluate"], pipelines.Single(p => p.Name == "demo").Tasks);
        Assert.Equal(["root", "left", "right", "join"], pipelines.Single(p => p.Name == TestPipelines.Diamond).Tasks);
        Assert.True(pipelines.Single(p => p.Name == TestPipelines.FanOut).FanOut);
        Assert.False(pipelines.Single(p => p.Name == TestPipelines.Diamond).FanOut);
    }

    private static async Task<PagedResult<RunSummary>> QueryAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/runs?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<PagedResult<RunSummary>>(Json.Options))!;
    }
}

public sealed class RunsApiTestsOnSqlite(ExecutorFixture<Sqlite> fixture) : RunsApiTests<Sqlite>(fixture);

public sealed class RunsApiTestsOnPostgres(ExecutorFixture<Postgres> fixture) : RunsApiTests<Postgres>(fixture);
