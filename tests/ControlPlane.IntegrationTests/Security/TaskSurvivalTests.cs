using System.Net;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>
/// Issue 16, point 4: a real retrain — whose train task allows one attempt — killed with SIGKILL in the middle of
/// training, on the embedded default (restarted on the same data) and on two clustered PostgreSQL nodes (the survivor
/// takes over). The interruption must not use up the task's one attempt, the run must succeed, and the model be
/// registered once. The time to take over is measured by the failover benchmark (docs/benchmarks.md).
/// </summary>
public sealed class TaskSurvivalTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Tenant = "contoso-health";
    private const string UseCase = "churn-risk";
    private readonly List<string> _folders = [];
    private PostgresTestDatabase? _database;
    private string? _shared;

    [Fact]
    public async Task A_retrain_killed_mid_training_on_the_embedded_default_succeeds_after_a_restart_without_using_its_retries()
    {
        var folder = Folder("cp-survive-");
        var settings = TrainingSettings(folder);
        settings["ControlPlane:Database:Provider"] = "Sqlite";
        settings["ControlPlane:Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "controlplane.db")}";

        Guid runId;
        string killed;
        await using (var first = await NodeProcess.StartAsync("first", settings, folder))
        {
            runId = await StartRetrainAsync(first);
            killed = (await WaitTrainingAsync(first, runId)).Task("train").Node!;
            first.Kill();
        }

        await using var second = await NodeProcess.StartAsync("second", settings, folder);
        var run = await FinishedAsync(second, runId);

        // The restarted process is another node (host name and process id); the killed attempt names the node it ran on.
        AssertSurvived(run, killed, survivor: null);
        Assert.Contains(killed, run.Task("train").AttemptHistory[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retrain_whose_training_node_is_killed_is_taken_over_by_the_other_postgresql_node()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        await using var a = await StartClusterNodeAsync("node-a", seed: true);
        await using var b = await StartClusterNodeAsync("node-b", seed: false);
        var nodes = new Dictionary<string, NodeProcess> { ["node-a"] = a, ["node-b"] = b };

        var runId = await StartRetrainAsync(a);
        var training = await WaitTrainingAsync(a, runId);
        var victim = nodes[training.Task("train").Node!];
        var survivor = nodes.Values.Single(n => n != victim);
        victim.Kill();
        var killedAt = DateTime.UtcNow;

        var run = await FinishedAsync(survivor, runId);

        AssertSurvived(run, victim.Name, survivor.Name);
        var history = run.Task("train").AttemptHistory;
        Assert.Contains("stopped answering", history[0].Error, StringComparison.Ordinal);
        output.WriteLine($"train handed back {(history[0].FinishedAt!.Value - killedAt).TotalSeconds:0.0} s and restarted on {survivor.Name} " +
                         $"{(history[1].StartedAt!.Value - killedAt).TotalSeconds:0.0} s after the kill");
    }

    private static void AssertSurvived(RunDetails run, string killedNode, string? survivor)
    {
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        var train = run.Task("train");
        Assert.Equal(2, train.AttemptHistory.Count);
        Assert.Equal((AttemptState.Interrupted, killedNode), (train.AttemptHistory[0].State, train.AttemptHistory[0].Node));
        Assert.Equal(AttemptState.Succeeded, train.AttemptHistory[1].State);
        Assert.Equal(survivor ?? train.AttemptHistory[1].Node, train.AttemptHistory[1].Node);
        Assert.NotEqual(killedNode, train.AttemptHistory[1].Node);
        // One ordinary attempt, plus the one the interruption took: the interruption used none of the task's retries.
        Assert.Equal(2, train.MaxAttempts);
        Assert.Equal(TaskState.Succeeded, run.Task("register").State);
        Assert.Single(run.Task("register").AttemptHistory, x => x.State == AttemptState.Succeeded);
    }

    private static async Task<Guid> StartRetrainAsync(NodeProcess node)
    {
        var retrain = await node.Client.PostAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/retrain", null);
        Assert.True(retrain.StatusCode == HttpStatusCode.Accepted, await retrain.Content.ReadAsStringAsync() + node.Output);
        return (await retrain.ReadNodeAsync())["runId"]!.GetValue<Guid>();
    }

    /// <summary>
    /// The train task running (reading its data or fitting: an interruption either way). Not only once it reports fitting
    /// progress: on a busy machine a poll can take longer than a small dataset's fit, and the run finished unobserved.
    /// </summary>
    private static Task<RunDetails> WaitTrainingAsync(NodeProcess node, Guid runId) =>
        node.Client.WaitForRunAsync(runId, r => r.Task("train") is { State: TaskState.Running, Progress: < 90 },
            "'train' to be training", TimeSpan.FromMinutes(3));

    private static async Task<RunDetails> FinishedAsync(NodeProcess node, Guid runId)
    {
        try
        {
            return await node.Client.WaitFinishedAsync(runId, TimeSpan.FromMinutes(4));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{node.Output}", e);
        }
    }

    /// <summary>Demo tenants, and a training search long enough (20 s) to be killed in the middle of.</summary>
    private static Dictionary<string, string> TrainingSettings(string folder)
    {
        var settings = NodeProcess.BaseSettings(folder);
        settings["ControlPlane:Demo:Seed"] = "true";
        settings["ControlPlane:Training:Trainers:0"] = "fasttree";
        settings["ControlPlane:Training:TimeBudgetSeconds"] = "20";
        settings["ControlPlane:Training:Folds"] = "2";
        return settings;
    }

    private async Task<NodeProcess> StartClusterNodeAsync(string nodeId, bool seed)
    {
        // One data folder for both: the regions' local stores must be shared, as a cluster shares a volume.
        _shared ??= Folder("cp-cluster-");
        var folder = _shared;
        var settings = TrainingSettings(folder);
        settings["ControlPlane:Demo:Seed"] = seed ? "true" : "false";
        settings["ControlPlane:Database:Provider"] = "Postgres";
        settings["ControlPlane:Database:ConnectionString"] = _database!.ConnectionString;
        settings["ControlPlane:Executor:Clustered"] = "true";
        settings["ControlPlane:Executor:NodeId"] = nodeId;
        return await NodeProcess.StartAsync(nodeId, settings, folder);
    }

    private string Folder(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory(prefix).FullName;
        _folders.Add(folder);
        return folder;
    }

    public Task InitializeAsync() => Task.CompletedTask;

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
