using ControlPlane.Core.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Executor;

public abstract class DagExecutionTests<TProvider>(ExecutorFixture<TProvider> fixture) : IClassFixture<ExecutorFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_join_starts_once_and_only_after_both_branches_finished()
    {
        using var client = App.CreateAdminClient();
        var key = Probe.NewKey();

        var runId = await client.StartRunAsync(TestPipelines.Diamond, new Dictionary<string, string> { ["key"] = key });
        var run = await client.WaitFinishedAsync(runId);

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Equal(4, run.Run.TasksFinished);
        var spans = Probe.For(key).Spans.ToDictionary(s => s.Task); // throws if a task ran twice
        Assert.Equal(["join", "left", "right", "root"], spans.Keys.Order());
        Assert.True(spans["left"].Start >= spans["root"].End && spans["right"].Start >= spans["root"].End, "A branch started before the root finished.");
        Assert.True(spans["join"].Start >= spans["left"].End, "The join started before the slow branch finished.");
        Assert.True(spans["join"].Start >= spans["right"].End, "The join started before the fast branch finished.");

        // The run's own record says the same, and shows one attempt per task.
        Assert.All(run.Tasks, t => Assert.Single(t.AttemptHistory));
        Assert.True(run.Task("join").StartedAt >= run.Task("left").FinishedAt);
        Assert.True(run.Task("join").StartedAt >= run.Task("right").FinishedAt);
        Assert.Equal(["left", "right"], run.Task("join").Upstream.Order());
    }

    [Fact]
    public async Task A_task_reporting_progress_inside_its_own_write_transaction_is_not_held_up_by_storing_it()
    {
        using var client = App.CreateAdminClient();
        var key = Probe.NewKey();

        var runId = await client.StartRunAsync(TestPipelines.ProgressInTransaction, new Dictionary<string, string> { ["key"] = key });
        var run = await client.WaitFinishedAsync(runId);

        // On SQLite a progress write waiting for the task's own transaction used to fail the attempt at the busy timeout.
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Single(run.Task("write").AttemptHistory);
        Assert.Equal(100, run.Task("write").Progress);
        Assert.Equal("written", await App.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions
            .SingleAsync(db.AppSettings.Where(a => a.Key == $"test.progress.{key}").Select(a => a.Value))));
    }

    [Fact]
    public async Task A_task_that_fails_twice_then_succeeds_ends_succeeded_with_three_attempts_backed_off()
    {
        using var client = App.CreateAdminClient();
        var key = Probe.NewKey();

        var runId = await client.StartRunAsync(TestPipelines.Flaky, new Dictionary<string, string> { ["key"] = key, ["failures"] = "2" });
        var run = await client.WaitFinishedAsync(runId);

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        var flaky = run.Task("flaky");
        Assert.Equal(TaskState.Succeeded, flaky.State);
        Assert.Equal(3, flaky.Attempts);
        Assert.Null(flaky.Error);
        Assert.Equal([1, 2, 3], flaky.AttemptHistory.Select(a => a.Number));
        Assert.Equal([AttemptState.Failed, AttemptState.Failed, AttemptState.Succeeded], flaky.AttemptHistory.Select(a => a.State));
        Assert.Contains("fails on call 1 of the first 2", flaky.AttemptHistory[0].Error, StringComparison.Ordinal);
        Assert.Contains("fails on call 2 of the first 2", flaky.AttemptHistory[1].Error, StringComparison.Ordinal);

        // 50 ms before the second try, 100 ms before the third (timestamps are truncated to microseconds).
        Assert.True(flaky.AttemptHistory[1].DispatchedAt - flaky.AttemptHistory[0].FinishedAt >= TimeSpan.FromMilliseconds(49.9));
        Assert.True(flaky.AttemptHistory[2].DispatchedAt - flaky.AttemptHistory[1].FinishedAt >= TimeSpan.FromMilliseconds(99.9));
        Assert.Equal(3, Probe.For(key).Calls("flaky"));
        Assert.Single(run.Task("after").AttemptHistory);
    }

    [Fact]
    public async Task A_task_that_keeps_failing_uses_up_its_attempts_and_fails_the_run()
    {
        using var client = App.CreateAdminClient();
        var key = Probe.NewKey();

        var runId = await client.StartRunAsync(TestPipelines.Flaky, new Dictionary<string, string> { ["key"] = key, ["failures"] = "5" });
        var run = await client.WaitFinishedAsync(runId);

        Assert.Equal(RunState.Failed, run.Run.State);
        Assert.Equal(TaskState.Failed, run.Task("flaky").State);
        Assert.Equal(3, run.Task("flaky").AttemptHistory.Count(a => a.State == AttemptState.Failed));
        Assert.Equal(TaskState.UpstreamFailed, run.Task("after").State);
        Assert.Equal(3, Probe.For(key).Calls("flaky"));
        Assert.Equal(0, Probe.For(key).Calls("after"));
        Assert.StartsWith("Task 'flaky' failed: InvalidOperationException: flaky fails on call 3", run.Run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attempt_past_its_timeout_is_timed_out_and_fails_the_run_with_a_readable_error()
    {
        using var client = App.CreateAdminClient();
        var key = Probe.NewKey();

        var runId = await client.StartRunAsync(TestPipelines.Timeout, new Dictionary<string, string> { ["key"] = key });
        var run = await client.WaitFinishedAsync(runId);

        Assert.True(run.Run.State == RunState.Failed, RunsClient.Describe(run));
        var slow = run.Task("slow");
        Assert.Equal(TaskState.Failed, slow.State);
        var attempt = Assert.Single(slow.AttemptHistory);
        Assert.Equal(AttemptState.TimedOut, attempt.State);
        // Not stopped early. .NET timers run on the coarse monotonic clock (Environment.TickCount64: CLOCK_MONOTONIC_COARSE on
        // Linux, one kernel tick of 1–10 ms), so a 300 ms timeout can fire a tick short of 300 ms by the precise wall clock
        // the attempt's times are stored with (CI measured 298.3 ms); a margin of one coarse tick allows that, nothing more.
        Assert.True(attempt.FinishedAt - attempt.StartedAt >= TimeSpan.FromMilliseconds(290), $"Stopped after {attempt.FinishedAt - attempt.StartedAt}.");
        Assert.Equal("Timed out after 300 ms.", attempt.Error);

        foreach (var downstream in new[] { "after", "last" })
        {
            Assert.Equal(TaskState.UpstreamFailed, run.Task(downstream).State);
            Assert.Empty(run.Task(downstream).AttemptHistory);
            Assert.Equal(0, Probe.For(key).Calls(downstream));
        }

        Assert.Equal("Upstream task 'slow' failed.", run.Task("last").Error);
        Assert.Equal("Task 'slow' failed: Timed out after 300 ms.", run.Run.Error);
    }
}

public sealed class DagExecutionTestsOnSqlite(ExecutorFixture<Sqlite> fixture) : DagExecutionTests<Sqlite>(fixture);

public sealed class DagExecutionTestsOnPostgres(ExecutorFixture<Postgres> fixture) : DagExecutionTests<Postgres>(fixture);
