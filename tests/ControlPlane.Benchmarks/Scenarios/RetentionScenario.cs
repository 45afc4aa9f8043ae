using System.Diagnostics;
using System.Globalization;
using ControlPlane.Core.Data;
using ControlPlane.Core.Housekeeping;
using ControlPlane.Core.Predictions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// The housekeeping purge of the real-time prediction log against one DELETE of the same rows: how long it takes, and
/// how long another writer waits meanwhile (the point of deleting in short statements).
/// </summary>
public sealed class RetentionScenario : IScenario
{
    private const int Tenants = 500;
    private const int OldPerEnrollment = 1_000;
    private const int RecentPerEnrollment = 200;

    public string Name => "retention";
    public string Title => "Retention: purging a million expired real-time predictions";

    public string Description =>
        $"{Tenants} tenants (about {Tenants * 2:N0} enrollments), each with {OldPerEnrollment:N0} sampled real-time predictions older than the " +
        $"180-day retention and {RecentPerEnrollment} newer ones. Measured: `RetentionService.PurgeAsync(\"prediction-log\")` as the " +
        "housekeeping task runs it (per enrollment, batches of 5,000 rows), and meanwhile a writer that stores one small row " +
        "every 20 ms (as the app's other writers would) and times each store. The floor is one `DELETE … WHERE At < cutoff` of the " +
        "same rows on an identical database, with the same writer beside it.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var notes = new List<string>();
        var folder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "retention")).FullName;
        await MeasureAsync("Sqlite", name =>
        {
            return Task.FromResult<(string, IAsyncDisposable?)>(($"Data Source={ScratchSqlite.FreshFile(folder, name)}", null));
        }, folder, floors, results, notes, ct);
        if (settings.PostgresConnectionString is { } server)
        {
            await MeasureAsync("Postgres", async name =>
            {
                var scratch = await ScratchPostgres.CreateAsync(server, "ret" + name);
                return (scratch.ConnectionString, scratch);
            }, folder, floors, results, notes, ct);
        }
        else
        {
            notes.Add("PostgreSQL was not measured in this run (pass `--postgres \"<connection string>\"`).");
        }

        notes.Add("The bar (decision 0032): no single statement holds other writers up for long. On SQLite (one writer at a time) the " +
                  "writer's longest wait beside the purge should be a small fraction of its wait beside the one DELETE, at a total time of " +
                  "the same order. PostgreSQL never makes that writer wait for a DELETE of other rows (row locks, MVCC), so there the " +
                  "short statements only cost time — a thousand statements instead of one — which a daily run can afford.");
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static async Task MeasureAsync(
        string provider, Func<string, Task<(string ConnectionString, IAsyncDisposable? Owner)>> database, string folder,
        List<Measurement> floors, List<Measurement> results, List<string> notes, CancellationToken ct)
    {
        var (floorCs, floorOwner) = await database("floor");
        var (purgeCs, purgeOwner) = await database("purge");
        try
        {
            await using var floorHost = await CoreHost.CreateAsync(provider, floorCs, Path.Combine(folder, provider + "-floor"));
            await using var purgeHost = await CoreHost.CreateAsync(provider, purgeCs, Path.Combine(folder, provider + "-purge"));
            Console.WriteLine($"  {provider}: seeding two identical databases…");
            var rows = await SeedAsync(floorHost.Services, ct);
            await SeedAsync(purgeHost.Services, ct);
            var cutoff = DateTime.UtcNow.AddDays(-180);

            var floorDbs = floorHost.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
            var (floorMs, floorWaits, floorRemoved) = await WithWriterAsync(floorDbs, async () =>
            {
                await using var db = await floorDbs.CreateDbContextAsync(ct);
                return (long)await db.PredictionLog.Where(e => e.At < cutoff).ExecuteDeleteAsync(ct);
            }, ct);
            floors.Add(new Measurement($"floor: one DELETE of {floorRemoved:N0} rows", provider, Timing.Once(floorMs), 1));

            var purgeDbs = purgeHost.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
            var service = purgeHost.Services.GetRequiredService<RetentionService>();
            var (purgeMs, purgeWaits, purgeRemoved) = await WithWriterAsync(purgeDbs,
                async () => (await service.PurgeAsync(RetentionService.PredictionLog, ct: ct)).Removed, ct);
            results.Add(new Measurement("housekeeping purge (total)", provider, Timing.Once(purgeMs), purgeMs / floorMs,
                $"removed {purgeRemoved:N0} of {rows:N0}"));
            results.Add(new Measurement("writer's longest wait beside one DELETE", provider, Timing.Once(floorWaits.Max()), floorWaits.Max() / floorMs,
                $"{floorWaits.Count} stores, median {Median(floorWaits):0.0} ms"));
            results.Add(new Measurement("writer's longest wait beside the purge", provider, Timing.Once(purgeWaits.Max()), purgeWaits.Max() / floorMs,
                $"{purgeWaits.Count} stores, median {Median(purgeWaits):0.0} ms"));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{provider}: the purge removed {purgeRemoved:N0} rows in {purgeMs / 1000:0.0} s against {floorMs / 1000:0.0} s for one DELETE; a writer beside it waited at most " +
                $"{purgeWaits.Max():0} ms (beside the one DELETE: {floorWaits.Max():0} ms)."));
            Console.WriteLine($"  {provider}: floor {floorMs:0} ms (writer max {floorWaits.Max():0} ms), purge {purgeMs:0} ms (writer max {purgeWaits.Max():0} ms)");
        }
        finally
        {
            if (floorOwner is not null)
            {
                await floorOwner.DisposeAsync();
            }

            if (purgeOwner is not null)
            {
                await purgeOwner.DisposeAsync();
            }
        }
    }

    /// <summary>Runs <paramref name="operation"/> with a writer beside it storing a row every 20 ms; the waits of its stores.</summary>
    private static async Task<(double Ms, List<double> Waits, long Removed)> WithWriterAsync(
        IDbContextFactory<ControlPlaneDbContext> dbs, Func<Task<long>> operation, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var waits = new List<double>();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await using (var db = await dbs.CreateDbContextAsync(CancellationToken.None))
                {
                    db.AppSettings.Add(new AppSetting { Key = $"bench.writer.{Guid.NewGuid():N}", Value = i.ToString(CultureInfo.InvariantCulture), UpdatedAt = DateTime.UtcNow });
                    await db.SaveChangesAsync(CancellationToken.None);
                }

                waits.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                try
                {
                    await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }, CancellationToken.None);
        await Task.Delay(200, ct); // the writer is going before the delete starts
        var clock = Stopwatch.StartNew();
        var removed = await operation();
        var ms = clock.Elapsed.TotalMilliseconds;
        await stop.CancelAsync();
        await writer;
        return (ms, waits, removed);
    }

    private static async Task<long> SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        await TenantSeeder.SeedAsync(services, Tenants, ct);
        var dbs = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        List<Guid> enrollments;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            enrollments = await db.Enrollments.OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(ct);
        }

        var random = new Random(11);
        var now = DateTime.UtcNow;
        long rows = 0;
        foreach (var chunk in enrollments.Chunk(20))
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var enrollment in chunk)
            {
                var version = Guid.NewGuid();
                for (var i = 0; i < OldPerEnrollment + RecentPerEnrollment; i++)
                {
                    var at = i < OldPerEnrollment ? now.AddDays(-181 - random.NextDouble() * 180) : now.AddDays(-random.NextDouble() * 170);
                    db.PredictionLog.Add(new PredictionLogEntry
                    {
                        EnrollmentId = enrollment, Source = PredictionSources.RealTime, At = at, EntityKey = $"acct-{random.Next(100_000)}",
                        ModelVersionId = version, Score = random.NextDouble(), Inputs = """{"plan":"pro","seats":12,"monthly_spend":420.5}""",
                    });
                    rows++;
                }
            }

            await db.SaveChangesAsync(ct);
        }

        return rows;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
