using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Engine;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>
/// Issue 16, point 4, in the engine: an attempt whose node goes silent is handed back and runs again without using the
/// task's retries (and the silent node's copy is stopped); a task that says it is not idempotent fails instead; a task
/// interrupted again and again fails after <see cref="DagEngine.MaxInterruptions"/>.
/// </summary>
public abstract class InterruptionTests<TProvider>(ExecutorFixture<TProvider> fixture) : IClassFixture<ExecutorFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task An_attempt_on_a_node_that_went_silent_is_handed_back_and_runs_again_without_using_a_retry()
    {
        using var client = App.CreateAdminClient();
        var key = Probe.NewKey();
        var runId = await client.StartRunAsync(TestPipelines.Blocking, new Dictionary<string, string> { ["key"] = key });
        var running = await client.WaitForRunAsync(runId, r => r.Task("block").State == TaskState.Running, "'block' to be running");
        var first = running.Task("block").AttemptHistory.Single().Id;

        // As if it ran on a node that then died: that node never beats again.
        await App.WithDbAsync(db => db.TaskAttempts.Where(a => a.Id == first).ExecuteUpdateAsync(s => s.SetProperty(a => a.Node, "ghost-node")));

        var again = await client.WaitForRunAsync(runId, r => r.Task("block").AttemptHistory.Count == 2 && r.Task("block").State == TaskState.Running,
            "the attempt handed back and running again", TimeSpan.FromSeconds(60));
        var history = again.Task("block").AttemptHistory;
        Assert.Equal(AttemptState.Interrupted, history[0].State);
        Assert.Contains("ghost-node stopped answering", history[0].Error, StringComparison.Ordinal);
        Assert.Equal(2, again.Task("block").MaxAttempts); // one ordinary attempt, plus the one the interruption took
        await Probe.For(key).TokenFired.Task.WaitAsync(Eventually.DefaultTimeout); // the silent copy was stopped here

        await client.PostAsync($"/api/v1/runs/{runId}/cancel", null);
    }

    [Fact]
    public async Task A_task_that_is_not_idempotent_fails_when_interrupted_saying_why()
    {
        using var client = App.CreateAdminClient();
        var runId = await client.StartRunAsync(TestPipelines.BlockingOnce, new Dictionary<string, string> { ["key"] = Probe.NewKey() });
        var running = await client.WaitForRunAsync(runId, r => r.Task("block").State == TaskState.Running, "'block' to be running");

        await App.Services.GetRequiredService<DagEngine>().CompleteAttemptAsync(
            running.Task("block").AttemptHistory.Single().Id, AttemptState.Interrupted, "Interrupted: node x stopped answering.");

        var run = await client.WaitFinishedAsync(runId);
        Assert.Equal(RunState.Failed, run.Run.State);
        Assert.Equal(TaskState.Failed, run.Task("block").State);
        Assert.Contains("not safe to repeat on its own", run.Task("block").Error, StringComparison.Ordinal);
        Assert.Equal(TaskState.UpstreamFailed, run.Task("after").State);
    }

    [Fact]
    public async Task A_task_interrupted_again_and_again_fails_after_the_limit()
    {
        using var client = App.CreateAdminClient();
        var runId = await client.StartRunAsync(TestPipelines.Blocking, new Dictionary<string, string> { ["key"] = Probe.NewKey() });
        var engine = App.Services.GetRequiredService<DagEngine>();

        for (var i = 1; i <= DagEngine.MaxInterruptions + 1; i++)
        {
            var n = i;
            var running = await client.WaitForRunAsync(runId, r => r.Task("block") is { State: TaskState.Running } t && t.AttemptHistory.Count == n,
                $"attempt {n} running");
            await engine.CompleteAttemptAsync(running.Task("block").AttemptHistory[^1].Id, AttemptState.Interrupted, $"Interrupted: test {n}.");
        }

        var run = await client.WaitFinishedAsync(runId);
        Assert.Equal(TaskState.Failed, run.Task("block").State);
        Assert.Contains($"Interrupted {DagEngine.MaxInterruptions + 1} times", run.Task("block").Error, StringComparison.Ordinal);
        Assert.Equal(DagEngine.MaxInterruptions + 1, run.Task("block").AttemptHistory.Count);
    }
}

public sealed class InterruptionTestsOnSqlite(ExecutorFixture<Sqlite> fixture) : InterruptionTests<Sqlite>(fixture);

public sealed class InterruptionTestsOnPostgres(ExecutorFixture<Postgres> fixture) : InterruptionTests<Postgres>(fixture);
