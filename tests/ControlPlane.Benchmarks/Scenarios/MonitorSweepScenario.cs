using System.Diagnostics;
using System.Globalization;
using ControlPlane.Core.Data;
using ControlPlane.Core.Predictions;
using ControlPlane.Executor.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// The hourly monitoring sweep at scale: what <c>monitor-all</c> does per enrollment (drift of both sources, decay, SLAs,
/// the auto-retrain policy), timed over hundreds of enrollments with real champions and logged traffic, and projected to
/// 10,000 tenants × 4 use cases.
/// </summary>
public sealed class MonitorSweepScenario : IScenario
{
    private const int Tenants = 400;
    private const int Days = 7;
    private const int RowsPerDay = 150;
    private const int NewRowsPerHour = 10;
    private const int Projected = 40_000;

    public string Name => "monitor-sweep";
    public string Title => "Monitoring sweep: per-enrollment cost of monitor-all, projected to 10,000 tenants × 4 use cases";

    public string Description =>
        $"{Tenants} lead-scoring tenants, each with its own registered champion (a copy of one trained logistic regression) and " +
        $"{Days} days × {RowsPerDay} sampled real-time predictions in the prediction log. Measured: `MonitoringPipelines.CheckEnrollmentAsync` — " +
        "exactly what `monitor-all` runs for each enrollment — over every enrollment one after the other, as the run does: the first " +
        "sweep (every drift window computed), an hourly sweep with nothing new (the usual case), and an hourly sweep after " +
        $"{NewRowsPerHour} new real-time rows per enrollment (today's window recomputed). The floor reads each enrollment's newest drift " +
        "window (one indexed query, what a dashboard reads).";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var notes = new List<string>();
        var folder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "monitor-sweep")).FullName;
        await MeasureAsync("Sqlite", $"Data Source={ScratchSqlite.FreshFile(folder, "controlplane")};Pooling=True", folder, floors, results, notes, ct);
        if (settings.PostgresConnectionString is { } server)
        {
            await using var scratch = await ScratchPostgres.CreateAsync(server, "sweep");
            await MeasureAsync("Postgres", scratch.ConnectionString, folder, floors, results, notes, ct);
        }
        else
        {
            notes.Add("PostgreSQL was not measured in this run (pass `--postgres \"<connection string>\"`).");
        }

        notes.Add($"The bar: an hourly sweep of {Projected:N0} enrollments (10,000 tenants × 4 use cases) on one node, one enrollment after " +
                  "another, finishes well inside its hour. The projection is linear in enrollments (every query is by enrollment on an index); " +
                  "the four use cases' runs can also run side by side on the executor's slots. The first sweep of an enrollment computes its 90 days " +
                  "once (again only when its policy is edited), so it need not fit an hour for 40,000 at once.");
        notes.Add("Issue 17: each of these checks also judges and stores the enrollment's health verdict (one read, a write only when it changed), " +
                  "and every drift window now gets its PSI intervals (400 bootstrap resamples per feature) and Holm's adjustment; the bar of " +
                  "10,000 enrollments' verdicts within the hourly sweep is the 10,000 × the per-enrollment figure of the hourly rows above.");
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static async Task MeasureAsync(
        string provider, string connectionString, string folder, List<Measurement> floors, List<Measurement> results, List<string> notes, CancellationToken ct)
    {
        await using var host = await CoreHost.CreateAsync(provider, connectionString, Path.Combine(folder, provider));
        Console.WriteLine($"  {provider}: seeding {Tenants} tenants with champions…");
        var tenants = await ServingFleetSeeder.SeedAsync(host.Services, Tenants, 1, 1_000, ct);
        var dbs = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var enrollments = await LogTrafficAsync(dbs, tenants, ct);
        Console.WriteLine($"  {provider}: {enrollments.Count} enrollments, {enrollments.Count * Days * RowsPerDay:N0} logged rows");

        var floor = await SweepAsync(enrollments, async id =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            await db.DriftWindows.AsNoTracking().Where(w => w.EnrollmentId == id).OrderByDescending(w => w.Day).FirstOrDefaultAsync(ct);
        });

        async Task<double> MonitorAsync()
        {
            await using var scope = host.Services.CreateAsyncScope(); // as the run's task scope
            return await SweepAsync(enrollments, id => MonitoringPipelines.CheckEnrollmentAsync(scope.ServiceProvider, id, null, ct));
        }

        var first = await MonitorAsync();
        var floorAfter = await SweepAsync(enrollments, async id =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            await db.DriftWindows.AsNoTracking().Where(w => w.EnrollmentId == id).OrderByDescending(w => w.Day).FirstOrDefaultAsync(ct);
        });
        var idle = await MonitorAsync();
        await LogNewHourAsync(dbs, enrollments, tenants, ct);
        var busy = await MonitorAsync();
        int windows;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            windows = await db.DriftWindows.CountAsync(ct);
        }

        floors.Add(new Measurement("floor: read the newest drift window (per enrollment)", provider, Timing.Once(floorAfter), 1,
            string.Create(CultureInfo.InvariantCulture, $"before any window existed: {floor:0.00} ms")));
        foreach (var (label, ms) in new[] { ("first sweep, every window computed", first), ("hourly sweep, nothing new", idle), ($"hourly sweep, {NewRowsPerHour} new rows each", busy) })
        {
            var projected = ms * Projected / 60_000;
            results.Add(new Measurement($"{label} (per enrollment)", provider, Timing.Once(ms), ms / floorAfter,
                string.Create(CultureInfo.InvariantCulture, $"{Projected:N0} enrollments: {projected:0.0} min")));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{provider}, {label}: {ms:0.0} ms per enrollment → {Projected:N0} enrollments in {projected:0.0} min on one node."));
            Console.WriteLine($"  {provider}: {label}: {ms:0.0} ms per enrollment, {projected:0.0} min for {Projected:N0}");
        }

        notes.Add(string.Create(CultureInfo.InvariantCulture, $"{provider}: {windows:N0} drift windows stored after the three sweeps."));
    }

    /// <summary>Runs <paramref name="check"/> for every enrollment, one after the other; the mean milliseconds per enrollment.</summary>
    private static async Task<double> SweepAsync(IReadOnlyList<Guid> enrollments, Func<Guid, Task> check)
    {
        var clock = Stopwatch.StartNew();
        foreach (var id in enrollments)
        {
            await check(id);
        }

        return clock.Elapsed.TotalMilliseconds / enrollments.Count;
    }

    private static async Task<List<Guid>> LogTrafficAsync(IDbContextFactory<ControlPlaneDbContext> dbs, IReadOnlyList<ServedTenant> tenants, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var random = new Random(5);
        var ids = new List<Guid>();
        foreach (var chunk in tenants.Chunk(25))
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var tenant in chunk)
            {
                var (id, champion) = await ChampionAsync(db, tenant.Slug, ct);
                ids.Add(id);
                var inputs = tenant.Rows.Select(r => r.ToJsonString()).ToArray();
                for (var day = 0; day < Days; day++)
                {
                    for (var i = 0; i < RowsPerDay; i++)
                    {
                        db.PredictionLog.Add(Entry(id, champion, now.Date.AddDays(-day - 1).AddSeconds(i * 86_000.0 / RowsPerDay), inputs[i % inputs.Length], random));
                    }
                }
            }

            await db.SaveChangesAsync(ct);
        }

        return ids;
    }

    private static async Task LogNewHourAsync(IDbContextFactory<ControlPlaneDbContext> dbs, IReadOnlyList<Guid> enrollments, IReadOnlyList<ServedTenant> tenants, CancellationToken ct)
    {
        var random = new Random(6);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var t = 0; t < enrollments.Count; t++)
        {
            var (_, champion) = await ChampionAsync(db, tenants[t].Slug, ct);
            for (var i = 0; i < NewRowsPerHour; i++)
            {
                db.PredictionLog.Add(Entry(enrollments[t], champion, DateTime.UtcNow, tenants[t].Rows[i % tenants[t].Rows.Count].ToJsonString(), random));
            }
        }

        await db.SaveChangesAsync(ct);
    }

    private static async Task<(Guid Enrollment, Guid Champion)> ChampionAsync(ControlPlaneDbContext db, string slug, CancellationToken ct)
    {
        var id = await db.Enrollments.Where(e => e.Tenant!.Slug == slug).Select(e => e.Id).SingleAsync(ct);
        var champion = await db.ModelAliases.Where(a => a.EnrollmentId == id && a.Name == "champion").Select(a => a.ModelVersionId).SingleAsync(ct);
        return (id, champion);
    }

    private static PredictionLogEntry Entry(Guid enrollment, Guid version, DateTime at, string inputs, Random random) => new()
    {
        EnrollmentId = enrollment, Source = PredictionSources.RealTime, At = at, EntityKey = $"lead-{random.Next(100_000)}", ModelVersionId = version,
        Score = random.NextDouble(), Label = random.Next(2) == 0 ? "true" : "false", Inputs = inputs,
    };
}
