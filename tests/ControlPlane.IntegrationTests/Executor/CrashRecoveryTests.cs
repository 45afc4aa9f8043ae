using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>
/// The embedded default (SQLite) in a real process killed with SIGKILL while a task runs, then started again on the
/// same data directory: the run must finish, with the killed attempt on record.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("cp-crash-").FullName;

    [Fact]
    public async Task A_run_whose_node_was_killed_mid_task_completes_after_a_restart_on_the_same_data()
    {
        var settings = NodeProcess.BaseSettings(_dataDirectory);
        settings["ControlPlane:Database:Provider"] = "Sqlite";
        settings["ControlPlane:Database:ConnectionString"] = $"Data Source={Path.Combine(_dataDirectory, "controlplane.db")}";

        Guid runId;
        string killedNode;
        await using (var first = await NodeProcess.StartAsync("first", settings, _dataDirectory))
        {
            // stepMs=300 makes 'train' take about six seconds: time enough to kill it in the middle.
            runId = await first.Client.StartRunAsync("demo", new Dictionary<string, string> { ["stepMs"] = "300" });
            var running = await first.Client.WaitForRunAsync(runId,
                r => r.Task("train") is { State: TaskState.Running, Progress: > 0 and < 100 }, "'train' to be running", TimeSpan.FromSeconds(60));
            killedNode = running.Task("train").Node!;

            first.Kill();
        }

        await using var second = await NodeProcess.StartAsync("second", settings, _dataDirectory);
        RunDetails run;
        try
        {
            run = await second.Client.WaitFinishedAsync(runId, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}{Environment.NewLine}{second.Output}", e);
        }

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run) + Environment.NewLine + second.Output);
        var train = run.Task("train").AttemptHistory;
        Assert.True(train.Count >= 2, RunsClient.Describe(run));
        Assert.Contains(train[0].State, new[] { AttemptState.Interrupted, AttemptState.Failed });
        Assert.Equal(killedNode, train[0].Node);
        Assert.Contains(killedNode, train[0].Error, StringComparison.Ordinal);
        Assert.Equal(AttemptState.Succeeded, train[^1].State);
        Assert.NotEqual(killedNode, train[^1].Node);
        Assert.All(run.Tasks, t => Assert.True(t.AttemptHistory.Count(a => a.State == AttemptState.Succeeded) == 1, $"{t.Name}: {RunsClient.Describe(run)}"));
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));

        var stillRunning = await second.Client.GetStringAsync("/api/v1/runs?state=Running");
        Assert.Contains("\"totalCount\":0", stillRunning, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
