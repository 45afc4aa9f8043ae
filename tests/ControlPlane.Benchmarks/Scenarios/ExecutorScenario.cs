using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Definitions;
using ControlPlane.Executor.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// The executor on one node (and a second one on PostgreSQL): dispatch latency along a chain of no-op tasks,
/// throughput of a 1,000-task fan-out, and the executor's share of a realistic retrain pipeline's wall time.
/// </summary>
public sealed class ExecutorScenario : IScenario
{
    private const int ChainLength = 40;
    private const int FanOutWidth = 1000;

    public string Name => "executor";
    public string Title => "Pipeline executor: dispatch latency, fan-out throughput, overhead";

    public string Description =>
        $"The product's executor (DAG state in our tables, one Quartz job per attempt) on one node. **Dispatch latency** is " +
        $"the time from an upstream task's recorded finish to its downstream task's recorded start along a chain of {ChainLength} " +
        $"no-op tasks. **Throughput** is {FanOutWidth:N0} no-op tasks fanned out between a start and an end task, in tasks per " +
        "second from the first start to the last finish (pool limit 16 per node). **Overhead** is the part of a realistic " +
        "retrain pipeline's wall time (generate 250,000 demo rows → featurize → three-fold cross-validation of two ML.NET trainers and a fit of the better one → evaluate) that " +
        "is not spent inside its tasks. The floor is one database write round trip (an UPDATE of one row through EF Core) on " +
        "the same database.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var notes = new List<string>();
        var sqliteFolder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "exec-sqlite")).FullName;
        await MeasureProviderAsync("Sqlite", $"Data Source={Path.Combine(sqliteFolder, "bench.db")}", sqliteFolder, floors, results, notes, null, ct);

        if (settings.PostgresConnectionString is { } server)
        {
            await using var scratch = await ScratchPostgres.CreateAsync(server, "exec");
            var pgFolder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "exec-pg")).FullName;
            await MeasureProviderAsync("Postgres", scratch.ConnectionString, pgFolder, floors, results, notes, server, ct);
        }
        else
        {
            notes.Add("PostgreSQL and the second node were not measured in this run (pass `--postgres \"<connection string>\"`).");
        }

        notes.Add("Targets (issue 3): dispatch latency median ≤ 20 ms and p95 ≤ 100 ms on both providers; ≥ 100 tasks/s for the " +
                  "fan-out on one node; executor overhead ≤ 5 % of the retrain pipeline's wall time.");
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private async Task MeasureProviderAsync(
        string provider, string cs, string folder, List<Measurement> floors, List<Measurement> results, List<string> notes, string? pgServer,
        CancellationToken ct)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:Executor:Pools:bench"] = "16",
            ["ControlPlane:Executor:NodeId"] = "bench-a",
            ["ControlPlane:Executor:Clustered"] = pgServer is null ? "false" : "true",
            ["ControlPlane:Executor:ClusterCheckinSeconds"] = "2",
        };
        await using var node = await ExecutorHost.StartAsync(provider, cs, folder, BenchPipelines.All(), settings);
        var dbs = node.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var floor = await WriteRoundTripAsync(dbs, ct);
        floors.Add(new Measurement("floor: one UPDATE round trip", provider, floor, 1));

        // Dispatch latency along a chain.
        var chain = await RunAndWaitAsync(node, BenchPipelines.Chain, ct);
        var gaps = await GapsAsync(dbs, chain, ct);
        results.Add(new Measurement($"dispatch latency ({gaps.Runs} hand-overs)", provider, gaps, gaps.MedianMs / floor.MedianMs));
        Console.WriteLine($"  {provider} dispatch latency median {gaps.MedianMs:0.0} ms p95 {gaps.P95Ms:0.0} ms");

        // Fan-out throughput, one node.
        var oneNode = await FanOutThroughputAsync(node, dbs, ct);
        results.Add(PerTask($"{FanOutWidth:N0}-task fan-out, 1 node", provider, oneNode.PerSecond, floor, $"{oneNode.PerSecond:0} tasks/s"));
        Console.WriteLine($"  {provider} fan-out: {oneNode.PerSecond:0} tasks/s");

        // Overhead on a realistic pipeline: one warm-up (JIT, ML.NET's first use), then the median of three runs.
        await RunAndWaitAsync(node, BenchPipelines.Retrain, ct);
        var samples = new List<(double WallMs, double Percent)>();
        for (var i = 0; i < 3; i++)
        {
            samples.Add(await OverheadAsync(dbs, await RunAndWaitAsync(node, BenchPipelines.Retrain, ct), ct));
        }

        var overhead = samples.OrderBy(s => s.Percent).ElementAt(1);
        var overheadMs = overhead.WallMs * overhead.Percent / 100;
        results.Add(new Measurement("retrain pipeline: executor overhead per run (median of 3)", provider, new Timing(overheadMs, overheadMs, 3),
            overheadMs / floor.MedianMs, $"{overhead.Percent:0.0} % of {overhead.WallMs:0} ms wall time"));
        Console.WriteLine($"  {provider} retrain: wall {overhead.WallMs:0} ms, overhead {overhead.Percent:0.0} %");

        if (pgServer is not null)
        {
            settings["ControlPlane:Executor:NodeId"] = "bench-b";
            await using var second = await ExecutorHost.StartAsync(provider, cs, folder, BenchPipelines.All(), settings);
            var twoNodes = await FanOutThroughputAsync(node, dbs, ct);
            results.Add(PerTask($"{FanOutWidth:N0}-task fan-out, 2 nodes", provider, twoNodes.PerSecond, floor,
                $"{twoNodes.PerSecond:0} tasks/s, {twoNodes.Nodes} nodes ran tasks"));
            notes.Add($"A second node on the same 2-core machine changes fan-out throughput from {oneNode.PerSecond:0} to " +
                      $"{twoNodes.PerSecond:0} tasks/s ({twoNodes.PerSecond / oneNode.PerSecond:0.00}×): both nodes share the same two cores and database here.");
            Console.WriteLine($"  {provider} fan-out on 2 nodes: {twoNodes.PerSecond:0} tasks/s");
        }
    }

    /// <summary>Throughput as the time each task costs, in milliseconds and in floor round trips.</summary>
    private static Measurement PerTask(string operation, string provider, double perSecond, Timing floor, string note)
    {
        var perTaskMs = 1000.0 / perSecond;
        return new Measurement($"{operation}: time per task", provider, Timing.Once(perTaskMs), perTaskMs / floor.MedianMs, note);
    }

    private static async Task<Timing> WriteRoundTripAsync(IDbContextFactory<ControlPlaneDbContext> dbs, CancellationToken ct)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            db.AppSettings.Add(new AppSetting { Key = "bench.floor", Value = "0", UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(ct);
        }

        var i = 0;
        return await Timing.MeasureAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var value = (++i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await db.AppSettings.Where(s => s.Key == "bench.floor").ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, value), ct);
        }, runs: 100, warmup: 20);
    }

    private static Task<Guid> RunAndWaitAsync(ExecutorHost node, string pipeline, CancellationToken ct) =>
        node.RunAndWaitAsync(new RunRequest(pipeline, Trigger: "bench", TriggeredBy: "bench"), TimeSpan.FromMinutes(10), ct);

    private static async Task<Timing> GapsAsync(IDbContextFactory<ControlPlaneDbContext> dbs, Guid runId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var tasks = await db.TaskRuns.Where(t => t.RunId == runId).OrderBy(t => t.Order).ToListAsync(ct);
        var gaps = tasks.Zip(tasks.Skip(1), (up, down) => (down.StartedAt!.Value - up.FinishedAt!.Value).TotalMilliseconds).Order().ToArray();
        return new Timing(gaps[gaps.Length / 2], gaps[(int)Math.Ceiling(gaps.Length * 0.95) - 1], gaps.Length);
    }

    private static async Task<(double Seconds, double PerSecond, int Nodes)> FanOutThroughputAsync(
        ExecutorHost node, IDbContextFactory<ControlPlaneDbContext> dbs, CancellationToken ct)
    {
        var runId = await RunAndWaitAsync(node, BenchPipelines.FanOut, ct);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var middle = await db.TaskRuns.Where(t => t.RunId == runId && t.Name.StartsWith("n")).Select(t => new { t.StartedAt, t.FinishedAt, t.Node }).ToListAsync(ct);
        var seconds = (middle.Max(t => t.FinishedAt!.Value) - middle.Min(t => t.StartedAt!.Value)).TotalSeconds;
        return (seconds, middle.Count / seconds, middle.Select(t => t.Node).Distinct().Count());
    }

    private static async Task<(double WallMs, double Percent)> OverheadAsync(IDbContextFactory<ControlPlaneDbContext> dbs, Guid runId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var run = await db.PipelineRuns.FirstAsync(r => r.Id == runId, ct);
        var wall = (run.FinishedAt!.Value - run.CreatedAt).TotalMilliseconds;
        var inside = BenchPipelines.TaskMilliseconds(runId);
        return (wall, 100.0 * (wall - inside) / wall);
    }
}
