using System.Diagnostics;
using System.Globalization;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Options;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Serving;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// What a drift check holds in memory when it recomputes every window: the real-time rows of a busy enrollment read with
/// the per-day cap (decision 0034) and without it, against streaming the same rows and dropping them.
/// </summary>
public sealed class DriftReadScenario : IScenario
{
    private const int Days = 4;
    private const int RowsPerDay = 250_000;
    private const int Cap = 50_000;

    public string Name => "drift-read";
    public string Title => "Drift check: reading 1,000,000 logged real-time rows with and without the per-day cap";

    public string Description =>
        $"One tenant with a trained champion (lead scoring) and {Days} days × {RowsPerDay:N0} sampled real-time predictions in the prediction " +
        "log, each with its inputs as JSON (what the predict endpoint logs). Measured: `DriftSamples.RealtimeAsync` for the whole range, as a " +
        $"check that recomputes every window calls it — with the default cap of {Cap:N0} rows per day (decision 0034), and with no cap " +
        "(every row held, as before the cap). Time; the memory the read sample holds when it returns (a full collection with the " +
        "sample alive, minus the heap before); and the peak of the managed heap while it runs (sampled every 5 ms, garbage included, " +
        "so a rough figure). The floor streams the same rows with the same projection and drops each one: the least any reader must do.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var notes = new List<string>();
        var folder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "drift-read")).FullName;
        await MeasureAsync("Sqlite", $"Data Source={ScratchSqlite.FreshFile(folder, "controlplane")};Pooling=True", folder, floors, results, notes, ct);
        if (settings.PostgresConnectionString is { } server)
        {
            await using var scratch = await ScratchPostgres.CreateAsync(server, "driftread");
            await MeasureAsync("Postgres", scratch.ConnectionString, folder, floors, results, notes, ct);
        }
        else
        {
            notes.Add("PostgreSQL was not measured in this run (pass `--postgres \"<connection string>\"`).");
        }

        notes.Add("The bar (decision 0034): with the cap what a check holds is bounded by days × the cap (here a fifth of each day's rows) " +
                  "instead of growing with everything logged, at no more time than reading every row; without it, it grows with every row.");
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static async Task MeasureAsync(
        string provider, string connectionString, string folder, List<Measurement> floors, List<Measurement> results, List<string> notes, CancellationToken ct)
    {
        await using var host = await CoreHost.CreateAsync(provider, connectionString, Path.Combine(folder, provider));
        Console.WriteLine($"  {provider}: training one champion and logging {Days * RowsPerDay:N0} real-time rows…");
        var tenant = (await ServingFleetSeeder.SeedAsync(host.Services, 1, 1, 2_000, ct)).Single();
        var dbs = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var (target, champion) = await SeedLogAsync(dbs, tenant, ct);
        await host.Services.GetRequiredService<ModelCache>().ModelAsync(champion, ct); // loaded before anything is measured: the cache keeps it

        var floor = await HeapPeakAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var count = 0;
            await foreach (var e in db.PredictionLog.AsNoTracking().Where(e => e.EnrollmentId == target.EnrollmentId && e.Source == PredictionSources.RealTime)
                .Select(e => new { e.Id, e.At, e.ModelVersionId, e.Score, e.Label, e.Inputs }).AsAsyncEnumerable().WithCancellation(ct))
            {
                count += e.Inputs.Length > 0 ? 1 : 0;
            }

            return count;
        });
        floors.Add(new Measurement($"floor: stream {floor.Result:N0} rows and drop them", provider, Timing.Once(floor.Ms), 1,
            string.Create(CultureInfo.InvariantCulture, $"heap peak {Mb(floor.PeakBytes):0} MB above the start")));

        foreach (var (label, cap) in new[] { ($"with the cap ({Cap:N0} rows a day)", Cap), ("without a cap (every row held)", int.MaxValue) })
        {
            await using var scope = host.Services.CreateAsyncScope();
            var samples = ActivatorUtilities.CreateInstance<DriftSamples>(scope.ServiceProvider,
                Options.Create(new ControlPlaneOptions { Monitoring = { MaxRowsPerDay = cap } }));
            var read = await HeapPeakAsync(() => samples.RealtimeAsync(target, 30, null, ct));
            var kept = read.Result.Days.Values.Sum(d => d.Rows.Count);
            results.Add(new Measurement($"read {label}: time", provider, Timing.Once(read.Ms), read.Ms / floor.Ms, $"{kept:N0} rows kept"));
            results.Add(new Measurement($"read {label}: MB the sample holds (ratio to the floor's heap peak)", provider, Timing.Once(Mb(read.RetainedBytes)),
                read.RetainedBytes / (double)Math.Max(floor.PeakBytes, 1), "the ms columns hold megabytes here"));
            results.Add(new Measurement($"read {label}: heap peak, MB (ratio to the floor's)", provider, Timing.Once(Mb(read.PeakBytes)),
                read.PeakBytes / (double)Math.Max(floor.PeakBytes, 1), "the ms columns hold megabytes here"));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{provider}, {label}: {read.Ms / 1000:0.0} s, {kept:N0} rows kept holding {Mb(read.RetainedBytes):0} MB, heap peak {Mb(read.PeakBytes):0} MB " +
                $"(floor: {floor.Ms / 1000:0.0} s, heap peak {Mb(floor.PeakBytes):0} MB)."));
            Console.WriteLine($"  {provider}: {label}: {read.Ms:0} ms, holds {Mb(read.RetainedBytes):0} MB, peak {Mb(read.PeakBytes):0} MB, {kept:N0} rows");
        }
    }

    private static async Task<(DriftTarget Target, Guid Champion)> SeedLogAsync(IDbContextFactory<ControlPlaneDbContext> dbs, ServedTenant tenant, CancellationToken ct)
    {
        DriftTarget target;
        Guid champion;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            target = await db.Enrollments.Where(e => e.Tenant!.Slug == tenant.Slug && e.UseCase!.Key == ServingFleetSeeder.UseCase)
                .Select(e => new DriftTarget(e.Id, e.Tenant!.Slug, e.UseCase!.Key, e.UseCaseId, e.Tenant.Region, e.UseCase.TaskType)).SingleAsync(ct);
            champion = await db.ModelAliases.Where(a => a.EnrollmentId == target.EnrollmentId && a.Name == "champion").Select(a => a.ModelVersionId).SingleAsync(ct);
        }

        var inputs = tenant.Rows.Select(r => r.ToJsonString()).ToArray();
        var today = DateTime.UtcNow.Date;
        var random = new Random(3);
        for (var day = 0; day < Days; day++)
        {
            for (var chunk = 0; chunk < RowsPerDay; chunk += 25_000)
            {
                await using var db = await dbs.CreateDbContextAsync(ct);
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                for (var i = chunk; i < chunk + 25_000; i++)
                {
                    db.PredictionLog.Add(new PredictionLogEntry
                    {
                        EnrollmentId = target.EnrollmentId, Source = PredictionSources.RealTime, At = today.AddDays(-day).AddSeconds(i * 86_000.0 / RowsPerDay),
                        EntityKey = $"acct-{i}", ModelVersionId = champion, Score = random.NextDouble(), Label = random.Next(2) == 0 ? "true" : "false",
                        Inputs = inputs[i % inputs.Length],
                    });
                }

                await db.SaveChangesAsync(ct);
            }
        }

        return (target, champion);
    }

    /// <summary>
    /// Runs <paramref name="work"/> once: its time, the heap's peak above where it started, and what its result holds (a
    /// full collection with the result alive).
    /// </summary>
    private static async Task<(T Result, double Ms, long PeakBytes, long RetainedBytes)> HeapPeakAsync<T>(Func<Task<T>> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var start = GC.GetTotalMemory(forceFullCollection: true);
        long peak = start;
        using var timer = new Timer(_ =>
        {
            var now = GC.GetTotalMemory(forceFullCollection: false);
            long seen;
            while (now > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
            {
            }
        }, null, 0, 5);
        var clock = Stopwatch.StartNew();
        var result = await work();
        var ms = clock.Elapsed.TotalMilliseconds;
        timer.Change(Timeout.Infinite, Timeout.Infinite);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - start;
        GC.KeepAlive(result);
        return (result, ms, Math.Max(0, Interlocked.Read(ref peak) - start), Math.Max(0, retained));
    }

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}
