using System.Net;
using ControlPlane.Core.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

public abstract class CancelAndClearTests<TProvider>(ExecutorFixture<TProvider> fixture) : IClassFixture<ExecutorFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Cancelling_a_running_run_fires_the_attempts_token_and_cancelling_again_is_a_conflict()
    {
        using var client = App.CreateAdminClient();
        var key = Probe.NewKey();
        var runId = await client.StartRunAsync(TestPipelines.Blocking, new Dictionary<string, string> { ["key"] = key });
        await client.WaitForRunAsync(runId, r => r.Task("block").State == TaskState.Running, "'block' to be running");

        var cancel = await client.PostAsync($"/api/v1/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("Cancelled", (await cancel.ReadNodeAsync())["state"]!.GetValue<string>());
        await Probe.For(key).TokenFired.Task.WaitAsync(Eventually.DefaultTimeout);
        var run = await client.WaitForRunAsync(runId, r => r.Task("block").AttemptHistory.All(a => a.State.IsFinished()), "the attempt to settle");
        Assert.Equal(RunState.Cancelled, run.Run.State);
        Assert.Equal(TaskState.Cancelled, run.Task("block").State);
        var attempt = Assert.Single(run.Task("block").AttemptHistory);
        Assert.Equal(AttemptState.Cancelled, attempt.State);
        Assert.Equal(TaskState.Cancelled, run.Task("after").State);
        Assert.Equal(0, Probe.For(key).Calls("after"));
        Assert.Contains("Cancelled by", run.Run.Error, StringComparison.Ordinal);

        var again = await client.PostAsync($"/api/v1/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Contains("already finished", (await again.ReadNodeAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var after = await client.GetRunAsync(runId);
        Assert.Equal(run.Run, after.Run);
        Assert.Equal(run.Tasks.Select(t => (t.State, t.FinishedAt)), after.Tasks.Select(t => (t.State, t.FinishedAt)));
    }

    [Fact]
    public async Task Cancelling_a_succeeded_run_is_a_conflict_that_changes_nothing()
    {
        using var client = App.CreateAdminClient();
        var runId = await client.StartRunAsync(TestPipelines.Flaky, new Dictionary<string, string> { ["key"] = Probe.NewKey(), ["failures"] = "0" });
        var done = await client.WaitFinishedAsync(runId);
        Assert.Equal(RunState.Succeeded, done.Run.State);

        var response = await client.PostAsync($"/api/v1/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.ReadNodeAsync();
        Assert.Contains("already finished (Succeeded)", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(done.Run, (await client.GetRunAsync(runId)).Run);
    }

    [Fact]
    public async Task Clearing_a_failed_task_reruns_it_and_its_downstream_and_the_run_succeeds()
    {
        using var client = App.CreateAdminClient();
        var key = Probe.NewKey();
        var runId = await client.StartRunAsync(TestPipelines.FailsOnce, new Dictionary<string, string> { ["key"] = key });
        var failed = await client.WaitFinishedAsync(runId);
        Assert.True(failed.Run.State == RunState.Failed, RunsClient.Describe(failed));
        Assert.Equal(TaskState.Failed, failed.Task("shaky").State);
        Assert.Equal(TaskState.UpstreamFailed, failed.Task("last").State);

        var clear = await client.PostAsync($"/api/v1/runs/{runId}/tasks/shaky/clear", null);

        Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        var run = await client.WaitForRunAsync(runId, r => r.Run.State.IsFinished() && r.Task("last").State.IsFinished(), "to finish again");
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Null(run.Run.Error);
        Assert.Equal([AttemptState.Failed, AttemptState.Succeeded], run.Task("shaky").AttemptHistory.Select(a => a.State));
        Assert.Equal([1, 2], run.Task("shaky").AttemptHistory.Select(a => a.Number));
        Assert.Equal(AttemptState.Succeeded, Assert.Single(run.Task("last").AttemptHistory).State);
        Assert.Single(run.Task("first").AttemptHistory); // upstream of the cleared task is not rerun
        Assert.Equal(1, Probe.For(key).Calls("first"));
        Assert.Equal(2, Probe.For(key).Calls("shaky"));
        Assert.Equal(1, Probe.For(key).Calls("last"));
    }

    [Fact]
    public async Task Clearing_an_unknown_task_or_in_an_unknown_run_is_not_found()
    {
        using var client = App.CreateAdminClient();
        var runId = await client.StartRunAsync(TestPipelines.Flaky, new Dictionary<string, string> { ["key"] = Probe.NewKey(), ["failures"] = "0" });
        await client.WaitFinishedAsync(runId);

        var noTask = await client.PostAsync($"/api/v1/runs/{runId}/tasks/nope/clear", null);
        Assert.Equal(HttpStatusCode.NotFound, noTask.StatusCode);
        Assert.Contains("no task 'nope'", (await noTask.ReadNodeAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/v1/runs/{Guid.NewGuid()}/tasks/flaky/clear", null)).StatusCode);
    }

    [Fact]
    public async Task A_run_past_its_own_time_limit_fails_and_stops_its_running_task()
    {
        var key = Probe.NewKey();
        using var client = App.CreateAdminClient();
        var runId = await client.StartRunAsync(TestPipelines.RunTimeout, new Dictionary<string, string> { ["key"] = key });

        var run = await client.WaitFinishedAsync(runId);

        Assert.Equal(RunState.Failed, run.Run.State);
        Assert.Equal("The run exceeded its time limit.", run.Run.Error);
        Assert.Equal(TaskState.Cancelled, run.Task("block").State);
        Assert.Equal(TaskState.Cancelled, run.Task("after").State);
        await Probe.For(key).TokenFired.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the running attempt was told to stop
        Assert.Equal(0, Probe.For(key).Calls("after"));
    }
}

public sealed class CancelAndClearTestsOnSqlite(ExecutorFixture<Sqlite> fixture) : CancelAndClearTests<Sqlite>(fixture);

public sealed class CancelAndClearTestsOnPostgres(ExecutorFixture<Postgres> fixture) : CancelAndClearTests<Postgres>(fixture);
