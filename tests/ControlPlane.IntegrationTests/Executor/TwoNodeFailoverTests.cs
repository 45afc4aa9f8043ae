using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>
/// Two app processes clustered on one PostgreSQL database. The node running a long task is killed with SIGKILL; the
/// other node must notice (cluster check-in), record the attempt as interrupted, retry it and finish the run.
/// </summary>
public sealed class TwoNodeFailoverTests : IAsyncLifetime
{
    private readonly List<string> _folders = [];
    private PostgresTestDatabase? _database;

    [Fact]
    public async Task Killing_the_node_that_runs_a_task_lets_the_other_node_finish_the_run()
    {
        await using var a = await StartNodeAsync("node-a");
        await using var b = await StartNodeAsync("node-b"); // after a: the first node applies the migrations alone
        var nodes = new Dictionary<string, NodeProcess> { ["node-a"] = a, ["node-b"] = b };

        var runId = await a.Client.StartRunAsync("demo", new Dictionary<string, string> { ["stepMs"] = "300" });
        var running = await a.Client.WaitForRunAsync(runId,
            r => r.Task("train") is { State: TaskState.Running, Progress: > 0 and < 100 }, "'train' to be running", TimeSpan.FromSeconds(60));
        var victim = nodes[running.Task("train").Node!];
        var survivor = nodes.Values.Single(n => n != victim);

        victim.Kill();

        RunDetails run;
        try
        {
            run = await survivor.Client.WaitFinishedAsync(runId, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{survivor.Output}", e);
        }

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run) + Environment.NewLine + survivor.Output);
        var train = run.Task("train").AttemptHistory;
        Assert.True(train.Count >= 2, RunsClient.Describe(run));
        Assert.Equal((AttemptState.Interrupted, victim.Name), (train[0].State, train[0].Node));
        Assert.Contains(victim.Name, train[0].Error, StringComparison.Ordinal);
        Assert.Equal((AttemptState.Succeeded, survivor.Name), (train[^1].State, train[^1].Node));
        Assert.Equal(survivor.Name, run.Task("evaluate").Node);
        Assert.All(run.Tasks, t => Assert.True(t.AttemptHistory.Count(x => x.State == AttemptState.Succeeded) == 1, $"{t.Name}: {RunsClient.Describe(run)}"));
        Assert.Contains("\"totalCount\":0", await survivor.Client.GetStringAsync("/api/v1/runs?state=Running"), StringComparison.Ordinal);
    }

    private async Task<NodeProcess> StartNodeAsync(string nodeId)
    {
        var folder = Directory.CreateTempSubdirectory($"cp-{nodeId}-").FullName;
        _folders.Add(folder);
        var settings = NodeProcess.BaseSettings(folder);
        settings["ControlPlane:Database:Provider"] = "Postgres";
        settings["ControlPlane:Database:ConnectionString"] = _database!.ConnectionString;
        settings["ControlPlane:Executor:Clustered"] = "true";
        settings["ControlPlane:Executor:NodeId"] = nodeId;
        settings["ControlPlane:Executor:ClusterCheckinSeconds"] = "1";
        return await NodeProcess.StartAsync(nodeId, settings, folder);
    }

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
