using System.Net;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

public sealed class NodeRoleTests
{
    [Fact]
    public async Task An_executor_only_node_answers_health_checks_but_serves_no_ui_or_api()
    {
        await using var app = new ControlPlaneApp(new SqliteTestDatabase());
        app.Settings["ControlPlane:Executor:NodeRole"] = "Executor";
        using var client = app.CreateAdminClient();

        // Ready once its scheduler runs and its executor loop has cycled (a node just started answers 503 until then).
        await Eventually.Until(async () => (await client.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK, "the executor node ready");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/account/login")).StatusCode);
    }

    [Fact]
    public async Task A_web_only_node_accepts_runs_that_executor_nodes_will_execute()
    {
        await using var app = new ControlPlaneApp(new SqliteTestDatabase());
        app.Settings["ControlPlane:Executor:NodeRole"] = "Web";
        using var client = app.CreateAdminClient();

        var runId = await client.StartRunAsync("demo", new Dictionary<string, string> { ["stepMs"] = "1" });
        await Task.Delay(1500);

        var run = await client.GetRunAsync(runId);
        Assert.Equal(Core.Pipelines.RunState.Queued, run.Run.State); // no executor here: it waits for one
        Assert.All(run.Tasks, t => Assert.Null(t.Node));
    }
}
