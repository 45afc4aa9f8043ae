using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>Run history at 100,000 runs: the queries of the runs page and <c>GET /api/v1/runs</c>.</summary>
public sealed class RunHistoryScenario : IScenario
{
    private const int RunCount = 100_000;
    private static readonly string[] Pipelines = ["retrain", "batch-score", "backfill", "demo"];
    private static readonly string[] UseCases = ["lead-scoring", "churn-risk", "ticket-routing", "resolution-time"];

    public string Name => "run-history";
    public string Title => "Run history at 100,000 runs";

    public string Description =>
        $"{RunCount:N0} runs over a year for 2,000 tenants. Every operation is one call of `RunService.QueryAsync` " +
        "(a fresh DbContext, a count and a page of 50 newest first), as the runs page and `GET /api/v1/runs` make it. " +
        "The floor is a point lookup of one run by id through the same stack.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var folder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "history-sqlite")).FullName;
        await MeasureAsync("Sqlite", $"Data Source={Path.Combine(folder, "bench.db")}", folder, floors, results, ct);
        var notes = new List<string> { "The bar: every query's median under 50 ms at 100,000 runs on both providers." };
        if (settings.PostgresConnectionString is { } server)
        {
            await using var scratch = await ScratchPostgres.CreateAsync(server, "hist");
            await MeasureAsync("Postgres", scratch.ConnectionString, folder, floors, results, ct);
        }
        else
        {
            notes.Add("PostgreSQL was not measured in this run (pass `--postgres \"<connection string>\"`).");
        }

        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static async Task MeasureAsync(string provider, string cs, string folder, List<Measurement> floors, List<Measurement> results, CancellationToken ct)
    {
        await using var host = await CoreHost.CreateAsync(provider, cs, folder);
        var dbs = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        Console.WriteLine($"  {provider}: seeding {RunCount:N0} runs…");
        var someId = await SeedAsync(dbs, ct);
        var floor = await Timing.MeasureAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            _ = await db.PipelineRuns.AsNoTracking().Where(r => r.Id == someId).Select(r => r.State).FirstAsync(ct);
        });
        floors.Add(new Measurement("floor: run by id", provider, floor, 1));

        var service = host.Services.GetRequiredService<RunService>();
        var since = new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc);
        var operations = new (string Name, RunQuery Query)[]
        {
            ("newest 50", new RunQuery()),
            ("tenant filter", new RunQuery { Tenant = "tenant-0042" }),
            ("pipeline + state", new RunQuery { Pipeline = "backfill", State = RunState.Failed }),
            ("use case + time window", new RunQuery { UseCase = "churn-risk", Created = new ControlPlane.Core.Common.TimeRange(since, since.AddDays(14)) }),
            ("page 400 of 50", new RunQuery { Page = 400 }),
        };
        foreach (var (name, query) in operations)
        {
            var timing = await Timing.MeasureAsync(() => service.QueryAsync(query, ct), runs: 40, warmup: 5);
            results.Add(new Measurement(name, provider, timing, timing.MedianMs / floor.MedianMs));
            Console.WriteLine($"  {provider} {name}: {timing.MedianMs:0.00} ms");
        }
    }

    private static async Task<Guid> SeedAsync(IDbContextFactory<ControlPlaneDbContext> dbs, CancellationToken ct)
    {
        var random = new Random(7);
        var start = new DateTime(2025, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var someId = Guid.Empty;
        for (var batch = 0; batch < RunCount; batch += 5000)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = batch; i < batch + 5000; i++)
            {
                var created = start.AddSeconds(i * 315.0);
                var state = random.NextDouble() switch { < 0.85 => RunState.Succeeded, < 0.95 => RunState.Failed, _ => RunState.Cancelled };
                var run = new PipelineRun
                {
                    Id = Guid.NewGuid(), Pipeline = Pipelines[random.Next(Pipelines.Length)], TenantSlug = $"tenant-{random.Next(2000):D4}",
                    UseCase = UseCases[random.Next(UseCases.Length)], State = state, Trigger = "schedule", TriggeredBy = "bench",
                    CreatedAt = created, StartedAt = created.AddSeconds(1), FinishedAt = created.AddMinutes(3), TaskCount = 6, TasksFinished = 6,
                    Version = Guid.NewGuid(),
                };
                someId = run.Id;
                db.PipelineRuns.Add(run);
            }

            await db.SaveChangesAsync(ct);
        }

        return someId;
    }
}
