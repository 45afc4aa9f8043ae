using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Engine;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>
/// The test pipelines on an app whose DAG engine and dispatcher read a clock that only moves when a test moves it.
/// Only those two: Quartz takes the container's TimeProvider too, and a scheduler on a clock that never moves never
/// starts — and the backoff is the engine's and the dispatcher's business, not Quartz's.
/// </summary>
public sealed class FakeClockFixture<TProvider> : ExecutorFixture<TProvider> where TProvider : IProviderKind
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<DagEngine>(sp, (TimeProvider)Clock));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Dispatcher>(sp, (TimeProvider)Clock));
    }
}

public abstract class BackoffTests<TProvider>(FakeClockFixture<TProvider> fixture) : IClassFixture<FakeClockFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_retry_is_not_dispatched_before_its_backoff_has_passed_on_the_clock_and_is_right_after()
    {
        using var client = App.CreateAdminClient();
        var key = Probe.NewKey();
        var runId = await client.StartRunAsync(TestPipelines.Backoff, new Dictionary<string, string> { ["key"] = key });
        var waiting = await client.WaitForRunAsync(runId, r => r.Task("flaky").State == TaskState.UpForRetry, "'flaky' to wait for its retry");
        var failedAt = Assert.Single(waiting.Task("flaky").AttemptHistory).FinishedAt!.Value;
        Assert.Equal(failedAt + TestPipelines.BackoffDelay, waiting.Task("flaky").NotBefore);

        // One second short of the backoff, a dispatch cycle (ours, on top of the executor's own) leaves it waiting.
        fixture.Clock.Advance(TestPipelines.BackoffDelay - TimeSpan.FromSeconds(1));
        var dispatcher = App.Services.GetRequiredService<Dispatcher>();
        Assert.Equal(0, await dispatcher.DispatchOnceAsync(CancellationToken.None));
        var still = await client.GetRunAsync(runId);
        Assert.Equal(TaskState.UpForRetry, still.Task("flaky").State);
        Assert.Single(still.Task("flaky").AttemptHistory);
        Assert.Equal(1, Probe.For(key).Calls("flaky"));

        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var run = await client.WaitFinishedAsync(runId);

        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        var retry = run.Task("flaky").AttemptHistory[1];
        Assert.Equal((2, AttemptState.Succeeded), (retry.Number, retry.State));
        Assert.True(retry.DispatchedAt >= failedAt + TestPipelines.BackoffDelay, $"Retried at {retry.DispatchedAt:O}, before {failedAt + TestPipelines.BackoffDelay:O}.");
        Assert.Equal(2, Probe.For(key).Calls("flaky"));
    }
}

public sealed class BackoffTestsOnSqlite(FakeClockFixture<Sqlite> fixture) : BackoffTests<Sqlite>(fixture);

public sealed class BackoffTestsOnPostgres(FakeClockFixture<Postgres> fixture) : BackoffTests<Postgres>(fixture);
