using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Core.Data;
using ControlPlane.Executor.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>
/// Pipelines added to the app under test. Each run carries a "key" parameter; what its tasks did is recorded in the
/// <see cref="Probe"/> of that key, so tests running side by side never see each other's tasks.
/// </summary>
public static class TestPipelines
{
    public const string Diamond = "t-diamond";
    public const string Flaky = "t-flaky";
    public const string Backoff = "t-backoff";
    public const string Timeout = "t-timeout";
    public const string Blocking = "t-block";
    public const string FailsOnce = "t-fails-once";
    public const string BlockingOnce = "t-block-once";
    public const string Fair = "t-fair";
    public const string FairPool = "t-fair";
    public const string FanOut = "t-fan";
    public const string FanOutChild = "t-fan-child";
    public const string RunTimeout = "t-run-timeout";
    public const string ProgressInTransaction = "t-progress-in-tx";

    /// <summary>How long a retry of <see cref="Backoff"/> waits: far longer than any test, so only a moved clock lets it run.</summary>
    public static readonly TimeSpan BackoffDelay = TimeSpan.FromMinutes(10);

    public static IEnumerable<PipelineDefinition> All() =>
    [
        // root → (left, right) → join: the join must wait for both branches, and left is the slower one.
        Pipeline.Define(Diamond, p => p
            .Task("root", ctx => Probe.Of(ctx).Span(ctx, 30))
            .Task("left", ctx => Probe.Of(ctx).Span(ctx, 400)).After("root")
            .Task("right", ctx => Probe.Of(ctx).Span(ctx, 50)).After("root")
            .Task("join", ctx => Probe.Of(ctx).Span(ctx, 10)).After("left", "right")),

        // "flaky" fails as often as the "failures" parameter says, then succeeds; three tries, short backoff.
        Pipeline.Define(Flaky, p => p
            .Task("flaky", ctx => Probe.Of(ctx).FailTimes(ctx, int.Parse(ctx.Parameters["failures"], System.Globalization.CultureInfo.InvariantCulture)))
                .Retry(3, TimeSpan.FromMilliseconds(50), 2)
            .Task("after", ctx => Probe.Of(ctx).Span(ctx, 0)).After("flaky")),

        Pipeline.Define(Backoff, p => p
            .Task("flaky", ctx => Probe.Of(ctx).FailTimes(ctx, 1)).Retry(2, BackoffDelay)),

        Pipeline.Define(Timeout, p => p
            .Task("slow", ctx => Task.Delay(System.Threading.Timeout.Infinite, ctx.CancellationToken)).Timeout(TimeSpan.FromMilliseconds(300))
            .Task("after", ctx => Probe.Of(ctx).Span(ctx, 0)).After("slow")
            .Task("last", ctx => Probe.Of(ctx).Span(ctx, 0)).After("after")),

        // "block" runs until its token fires and records that it did.
        Pipeline.Define(Blocking, p => p
            .Task("block", ctx => Probe.Of(ctx).BlockUntilCancelled(ctx))
            .Task("after", ctx => Probe.Of(ctx).Span(ctx, 0)).After("block")),

        // As Blocking, but its task says it may not simply run again after an interruption.
        Pipeline.Define(BlockingOnce, p => p
            .Task("block", ctx => Probe.Of(ctx).BlockUntilCancelled(ctx)).NotIdempotent()
            .Task("after", ctx => Probe.Of(ctx).Span(ctx, 0)).After("block")),

        Pipeline.Define(FailsOnce, p => p
            .Task("first", ctx => Probe.Of(ctx).Span(ctx, 0))
            .Task("shaky", ctx => Probe.Of(ctx).FailTimes(ctx, 1)).After("first")
            .Task("last", ctx => Probe.Of(ctx).Span(ctx, 0)).After("shaky")),

        // One task in a pool of its own; a run with "hold" waits for the probe's gate.
        Pipeline.Define(Fair, p => p
            .Task("work", ctx => Probe.Of(ctx).FairWork(ctx)).Pool(FairPool)),

        // The whole run may take one second; its first task would run forever.
        Pipeline.Define(RunTimeout, p => p
            .RunTimeout(TimeSpan.FromSeconds(1))
            .Task("block", ctx => Probe.Of(ctx).BlockUntilCancelled(ctx))
            .Task("after", ctx => Probe.Of(ctx).Span(ctx, 0)).After("block")),

        // Reports progress from inside its own write transaction, as a batch score writing a partition does: on SQLite a
        // progress write that waited for the transaction would wait for the task itself.
        Pipeline.Define(ProgressInTransaction, p => p
            .Task("write", async ctx =>
            {
                var dbs = ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
                await using var db = await dbs.CreateDbContextAsync(ctx.CancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(ctx.CancellationToken);
                db.AppSettings.Add(new AppSetting { Key = $"test.progress.{ctx.Parameters["key"]}", Value = "written", UpdatedAt = DateTime.UtcNow });
                await db.SaveChangesAsync(ctx.CancellationToken);
                for (var step = 1; step <= 4; step++)
                {
                    await Task.Delay(300, ctx.CancellationToken); // past the quarter second between progress writes
                    await ctx.ReportProgressAsync(25 * step, $"step {step} of 4");
                }

                await transaction.CommitAsync(ctx.CancellationToken);
            })),

        Pipeline.Define(FanOut, p => p.FanOutTo(FanOutChild)),
        Pipeline.Define(FanOutChild, p => p
            .Task("work", ctx => ctx.Tenant == ctx.Parameters.GetValueOrDefault("failTenant") ? Probe.Of(ctx).FailTimes(ctx, 1) : Probe.Of(ctx).Span(ctx, 0))
            .Task("report", ctx => Probe.Of(ctx).Span(ctx, 0)).After("work")),
    ];
}

/// <summary>What the tasks of runs with one "key" parameter did, in real time.</summary>
public sealed class Probe
{
    private static readonly ConcurrentDictionary<string, Probe> Probes = new();
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly Lock _gate = new();
    private readonly List<string> _starts = [];

    public static string NewKey() => Guid.NewGuid().ToString("N");

    public static Probe For(string key) => Probes.GetOrAdd(key, _ => new Probe());

    public static Probe Of(TaskContext ctx) => For(ctx.Parameters["key"]);

    public ConcurrentQueue<TaskSpan> Spans { get; } = new();

    /// <summary>"task" or "task@tenant", in the order the tasks started.</summary>
    public IReadOnlyList<string> Starts
    {
        get
        {
            lock (_gate)
            {
                return [.. _starts];
            }
        }
    }

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource TokenFired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls(string task, string? tenant = null) => _calls.GetValueOrDefault(Name(task, tenant));

    internal Task Span(TaskContext ctx, int milliseconds)
    {
        var start = Stopwatch.GetTimestamp();
        Started(ctx);
        return Finish(ctx, start, milliseconds);
    }

    private async Task Finish(TaskContext ctx, long start, int milliseconds)
    {
        if (milliseconds > 0)
        {
            await Task.Delay(milliseconds, ctx.CancellationToken);
        }

        Spans.Enqueue(new TaskSpan(ctx.Task, ctx.Tenant, ctx.Attempt, start, Stopwatch.GetTimestamp()));
    }

    internal Task FailTimes(TaskContext ctx, int failures)
    {
        var start = Stopwatch.GetTimestamp();
        var call = Started(ctx);
        return call <= failures
            ? throw new InvalidOperationException($"{ctx.Task} fails on call {call} of the first {failures}.")
            : Finish(ctx, start, 0);
    }

    internal async Task BlockUntilCancelled(TaskContext ctx)
    {
        Started(ctx);
        try
        {
            await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
        }
        finally
        {
            TokenFired.TrySetResult();
        }
    }

    internal async Task FairWork(TaskContext ctx)
    {
        Started(ctx);
        if (ctx.Parameters.ContainsKey("hold"))
        {
            await Release.Task.WaitAsync(ctx.CancellationToken);
        }
    }

    private int Started(TaskContext ctx)
    {
        lock (_gate)
        {
            _starts.Add(Name(ctx.Task, ctx.Tenant));
        }

        return _calls.AddOrUpdate(Name(ctx.Task, ctx.Tenant), 1, (_, n) => n + 1);
    }

    private static string Name(string task, string? tenant) => tenant is null ? task : $"{task}@{tenant}";
}

public sealed record TaskSpan(string Task, string? Tenant, int Attempt, long Start, long End);
