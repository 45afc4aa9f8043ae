using System.Net;
using ControlPlane.Core.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

public abstract class FairShareAndFanOutTests<TProvider>(ExecutorFixture<TProvider> fixture) : IClassFixture<ExecutorFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_tenant_queueing_after_another_tenants_ten_runs_is_served_next_not_last()
    {
        using var client = App.CreateAdminClient();
        var (a, b) = (await CreateTenantAsync(client, "churn-risk"), await CreateTenantAsync(client, "churn-risk"));
        var key = Probe.NewKey();
        var probe = Probe.For(key);

        // The pool has one slot: A's first run holds it until the probe is released.
        var runs = new List<Guid> { await StartFairAsync(client, key, a, hold: true) };
        await Eventually.Until(() => probe.Starts.Count == 1, "A's first task to start");
        for (var i = 1; i < 10; i++)
        {
            runs.Add(await StartFairAsync(client, key, a, hold: false));
        }

        runs.Add(await StartFairAsync(client, key, b, hold: false));
        probe.Release.SetResult();
        foreach (var run in runs)
        {
            Assert.Equal(RunState.Succeeded, (await client.WaitFinishedAsync(run)).Run.State);
        }

        var starts = probe.Starts.ToList();
        Assert.Equal(11, starts.Count);
        Assert.Equal($"work@{a}", starts[0]);
        Assert.True(starts.IndexOf($"work@{b}") <= 1, $"B started at position {starts.IndexOf($"work@{b}") + 1}: {string.Join(", ", starts)}");
    }

    [Fact]
    public async Task A_fan_out_runs_one_child_per_enrolled_tenant_and_reruns_only_the_failed_one()
    {
        using var client = App.CreateAdminClient();
        var useCase = await CreateUseCaseAsync(client);
        var tenants = new[] { await CreateTenantAsync(client, useCase), await CreateTenantAsync(client, useCase), await CreateTenantAsync(client, useCase) };
        var failing = tenants[1];
        var key = Probe.NewKey();

        var parentId = await client.StartRunAsync(TestPipelines.FanOut, new Dictionary<string, string> { ["key"] = key, ["failTenant"] = failing }, useCase: useCase);
        var parent = await client.WaitFinishedAsync(parentId);

        Assert.True(parent.Run.State == RunState.Failed, RunsClient.Describe(parent));
        Assert.Equal((3, 2, 1), (parent.Run.ChildCount, parent.Run.ChildrenSucceeded, parent.Run.ChildrenFailed));
        Assert.Equal("1 of 3 child runs failed.", parent.Run.Error);
        Assert.Equal(tenants.Order(), parent.Children.Select(c => c.Tenant));
        Assert.All(parent.Children, c => Assert.Equal(TestPipelines.FanOutChild, c.Pipeline));
        Assert.All(parent.Children, c => Assert.Equal(parentId, c.ParentRunId));
        Assert.Equal(RunState.Failed, Assert.Single(parent.Children, c => c.Tenant == failing).State);
        var failedChild = await client.GetRunAsync(parent.Children.Single(c => c.Tenant == failing).Id);
        Assert.Equal(TaskState.UpstreamFailed, failedChild.Task("report").State);

        var rerun = await client.PostAsync($"/api/v1/runs/{parentId}/rerun-failed", null);

        Assert.Equal(HttpStatusCode.OK, rerun.StatusCode);
        Assert.Equal(1, (await rerun.ReadNodeAsync())["rerun"]!.GetValue<int>());
        parent = await client.WaitForRunAsync(parentId, r => r.Run.State.IsFinished(), "to finish after the rerun");
        Assert.True(parent.Run.State == RunState.Succeeded, RunsClient.Describe(parent));
        Assert.Equal((3, 3, 0), (parent.Run.ChildCount, parent.Run.ChildrenSucceeded, parent.Run.ChildrenFailed));
        Assert.Null(parent.Run.Error);
        Assert.All(parent.Children, c => Assert.Equal(RunState.Succeeded, c.State));
        Assert.All(tenants.Where(t => t != failing), t => Assert.Equal(1, Probe.For(key).Calls("work", t)));
        Assert.Equal(2, Probe.For(key).Calls("work", failing));

        // Nothing left to rerun now.
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/v1/runs/{parentId}/rerun-failed", null)).StatusCode);
    }

    [Fact]
    public async Task A_fan_out_over_a_use_case_nobody_is_enrolled_in_succeeds_at_once_with_no_children()
    {
        using var client = App.CreateAdminClient();
        var useCase = await CreateUseCaseAsync(client);

        var parentId = await client.StartRunAsync(TestPipelines.FanOut, new Dictionary<string, string> { ["key"] = Probe.NewKey() }, useCase: useCase);
        var parent = await client.GetRunAsync(parentId);

        Assert.Equal(RunState.Succeeded, parent.Run.State);
        Assert.Equal(0, parent.Run.ChildCount);
        Assert.Empty(parent.Children);
    }

    private static async Task<Guid> StartFairAsync(HttpClient client, string key, string tenant, bool hold)
    {
        var parameters = new Dictionary<string, string> { ["key"] = key };
        if (hold)
        {
            parameters["hold"] = "true";
        }

        return await client.StartRunAsync(TestPipelines.Fair, parameters, tenant, "churn-risk");
    }

    internal static async Task<string> CreateTenantAsync(HttpClient client, string useCase)
    {
        var slug = TestSlugs.New("ex");
        var response = await client.PostJsonAsync("/api/v1/tenants", new { name = slug, slug, region = "us", useCases = new[] { useCase } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return slug;
    }

    private static async Task<string> CreateUseCaseAsync(HttpClient client)
    {
        var key = TestSlugs.New("uc");
        var response = await client.PostJsonAsync("/api/v1/use-cases", new
        {
            key, name = key, taskType = "Binary", labelColumn = "upsold", entityKeyColumn = "account_id",
            features = new[] { new { name = "seats", type = "Number" } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return key;
    }
}

public sealed class FairShareAndFanOutTestsOnSqlite(ExecutorFixture<Sqlite> fixture) : FairShareAndFanOutTests<Sqlite>(fixture);

public sealed class FairShareAndFanOutTestsOnPostgres(ExecutorFixture<Postgres> fixture) : FairShareAndFanOutTests<Postgres>(fixture);
