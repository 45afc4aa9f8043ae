using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Monitoring.Periods;
using ControlPlane.Core.Predictions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// Issue 17 point 5: comparing two periods of 1,000,000 scored rows each, through the product's <see cref="PeriodDrift"/>
/// on the days a drift check counted (decision 0047), against reading the raw rows alone.
/// </summary>
public sealed class PeriodsScenario : IScenario
{
    private const int DaysPerPeriod = 30;
    private const int RowsPerDay = 33_334;

    public string Name => "periods";
    public string Title => "Any two periods: 1,000,000 scored rows against 1,000,000";

    public string Description =>
        $"One tenant with a trained champion (lead scoring) and two periods of {DaysPerPeriod} days × {RowsPerDay:N0} real-time predictions " +
        "in the prediction log (inputs as JSON, as the predict endpoint logs them), one numeric input shifted by a standard deviation in " +
        "the later period. A real-time drift check counts every day into the champion's bins (as each check does). Measured: " +
        "`PeriodDrift.CompareAsync` — the API's comparison — the later period against the earlier, and against training. The floor reads " +
        "the two periods' stored day counts (one indexed query); the anchor streams the two periods' raw rows (scores only) from the log: " +
        "what any comparison that reads rows pays before computing anything.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var notes = new List<string>();
        var folder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "periods")).FullName;
        await MeasureAsync("Sqlite", $"Data Source={ScratchSqlite.FreshFile(folder, "controlplane")};Pooling=True", folder, floors, results, notes, ct);
        if (settings.PostgresConnectionString is { } server)
        {
            await using var scratch = await ScratchPostgres.CreateAsync(server, "periods");
            await MeasureAsync("Postgres", scratch.ConnectionString, folder, floors, results, notes, ct);
        }
        else
        {
            notes.Add("PostgreSQL was not measured in this run (pass `--postgres \"<connection string>\"`).");
        }

        notes.Add("The bar (issue 17): two periods of 1,000,000 rows each compared in under 2 s. The comparison adds up the days' counts, so its " +
                  "time grows with days × monitored columns, not with rows.");
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static async Task MeasureAsync(
        string provider, string connectionString, string folder, List<Measurement> floors, List<Measurement> results, List<string> notes, CancellationToken ct)
    {
        await using var host = await CoreHost.CreateAsync(provider, connectionString, Path.Combine(folder, provider));
        Console.WriteLine($"  {provider}: training one champion and logging {2 * DaysPerPeriod * RowsPerDay:N0} real-time rows…");
        var tenant = (await ServingFleetSeeder.SeedAsync(host.Services, 1, 1, 2_000, ct)).Single();
        var dbs = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var (target, shifted) = await SeedLogAsync(dbs, tenant, ct);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var reference = new DayRange(today.AddDays(-2 * DaysPerPeriod), today.AddDays(-DaysPerPeriod - 1));
        var analysis = new DayRange(today.AddDays(-DaysPerPeriod), today.AddDays(-1));

        var check = Stopwatch.StartNew();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DriftChecks>().CheckAsync(target.EnrollmentId, PredictionSources.RealTime, null, ct);
        }

        var checkMs = check.Elapsed.TotalMilliseconds;
        Console.WriteLine($"  {provider}: the drift check counted the days in {checkMs / 1000:0.0} s");

        var (from, until) = (reference.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), analysis.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var floor = await Timing.MeasureAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            await db.DriftDayCounts.AsNoTracking().Where(d => d.EnrollmentId == target.EnrollmentId && d.Source == PredictionSources.RealTime
                && d.Day >= from && d.Day < until).ToListAsync(ct);
        }, runs: 20, warmup: 3);
        floors.Add(new Measurement("floor: read both periods' day counts", provider, floor, 1));

        var anchorClock = Stopwatch.StartNew();
        long rows = 0;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await foreach (var _ in db.PredictionLog.AsNoTracking().Where(e => e.EnrollmentId == target.EnrollmentId && e.At >= from && e.At < until)
                .Select(e => e.Score).AsAsyncEnumerable().WithCancellation(ct))
            {
                rows++;
            }
        }

        var anchorMs = anchorClock.Elapsed.TotalMilliseconds;
        floors.Add(new Measurement($"anchor: stream the {rows:N0} raw rows' scores", provider, Timing.Once(anchorMs), anchorMs / floor.MedianMs));

        foreach (var (label, against) in new[] { ("later period against the earlier", reference), ("later period against training", (DayRange?)null) })
        {
            PeriodComparison? answer = null;
            var timing = await Timing.MeasureAsync(async () =>
            {
                await using var scope = host.Services.CreateAsyncScope();
                answer = (await scope.ServiceProvider.GetRequiredService<PeriodDrift>()
                    .CompareAsync(target.Tenant, target.UseCase, new PeriodRequest(PredictionSources.RealTime, against, analysis), ct)).Value!;
            }, runs: 10, warmup: 2);
            var moved = answer!.Features.FirstOrDefault(f => f.Rule?.Contains($"column '{shifted}'", StringComparison.Ordinal) == true);
            var versus = against is null ? "training" : string.Create(CultureInfo.InvariantCulture, $"{answer.Reference.Rows:N0} rows in {answer.Reference.Days} days");
            results.Add(new Measurement($"compare: {label}", provider, timing, timing.MedianMs / floor.MedianMs,
                string.Create(CultureInfo.InvariantCulture,
                    $"{answer.Analysis.Rows:N0} rows against {versus}; {shifted} {moved?.Status} (PSI {moved?.Psi:0.00}); {timing.MedianMs / anchorMs:0.000} × the anchor")));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{provider}, {label}: {timing.MedianMs:0} ms median ({answer.Analysis.Rows:N0} rows in {answer.Analysis.Days} days against {versus}); " +
                $"the shifted input {shifted} is {moved?.Status}, PSI {moved?.Psi:0.00} ({moved?.PsiLow:0.00}–{moved?.PsiHigh:0.00}); status {answer.Status}; " +
                $"streaming the raw rows alone took {anchorMs / 1000:0.0} s."));
            Console.WriteLine($"  {provider}: {label}: {timing.MedianMs:0} ms; {shifted} {moved?.Status}");
        }

        // A period no check counted: its days are counted from the rows on the first request.
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var referenceUntil = reference.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            await db.DriftDayCounts.Where(d => d.EnrollmentId == target.EnrollmentId && d.Day >= from && d.Day < referenceUntil).ExecuteDeleteAsync(ct);
            await db.DriftWindows.Where(w => w.EnrollmentId == target.EnrollmentId && w.Day < referenceUntil).ExecuteDeleteAsync(ct);
        }

        var cold = Stopwatch.StartNew();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PeriodDrift>()
                .CompareAsync(target.Tenant, target.UseCase, new PeriodRequest(PredictionSources.RealTime, reference, analysis), ct);
        }

        var coldMs = cold.Elapsed.TotalMilliseconds;
        results.Add(new Measurement("compare, the earlier period never counted (counted from its rows once)", provider, Timing.Once(coldMs), coldMs / floor.MedianMs,
            string.Create(CultureInfo.InvariantCulture, $"{coldMs / anchorMs:0.0} × the anchor; the drift check that counted all 60 days took {checkMs / 1000:0.0} s")));
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{provider}: a period no check had counted ({DaysPerPeriod} days, {DaysPerPeriod * RowsPerDay:N0} rows, sampled to at most 50,000 a day) is counted from its rows on the " +
            $"first request in {coldMs / 1000:0.0} s, then compares like the others; the real-time check that counted both periods took {checkMs / 1000:0.0} s."));
    }

    /// <summary>Logs both periods; the later one with the first numeric input shifted by its standard deviation. Returns the target and that input.</summary>
    private static async Task<(DriftTarget Target, string Shifted)> SeedLogAsync(IDbContextFactory<ControlPlaneDbContext> dbs, ServedTenant tenant, CancellationToken ct)
    {
        DriftTarget target;
        Guid champion;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            target = await db.Enrollments.Where(e => e.Tenant!.Slug == tenant.Slug && e.UseCase!.Key == ServingFleetSeeder.UseCase)
                .Select(e => new DriftTarget(e.Id, e.Tenant!.Slug, e.UseCase!.Key, e.UseCaseId, e.Tenant.Region, e.UseCase.TaskType)).SingleAsync(ct);
            champion = await db.ModelAliases.Where(a => a.EnrollmentId == target.EnrollmentId && a.Name == "champion").Select(a => a.ModelVersionId).SingleAsync(ct);
        }

        var shifted = tenant.Rows[0].Where(p => p.Value is JsonValue v && v.TryGetValue<double>(out _)).Select(p => p.Key).First();
        var values = tenant.Rows.Select(r => r[shifted]).OfType<JsonValue>().Select(v => v.GetValue<double>()).ToArray();
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        var plain = tenant.Rows.Select(r => r.ToJsonString()).ToArray();
        var moved = tenant.Rows.Select(r =>
        {
            var copy = (JsonObject)r.DeepClone();
            if (r[shifted] is JsonValue value)
            {
                copy[shifted] = value.GetValue<double>() + sd;
            }

            return copy.ToJsonString();
        }).ToArray();

        var today = DateTime.UtcNow.Date;
        var random = new Random(3);
        for (var day = 1; day <= 2 * DaysPerPeriod; day++)
        {
            var inputs = day <= DaysPerPeriod ? moved : plain;
            for (var chunk = 0; chunk < RowsPerDay; chunk += 25_000)
            {
                await using var db = await dbs.CreateDbContextAsync(ct);
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                for (var i = chunk; i < Math.Min(RowsPerDay, chunk + 25_000); i++)
                {
                    db.PredictionLog.Add(new PredictionLogEntry
                    {
                        EnrollmentId = target.EnrollmentId, Source = PredictionSources.RealTime, At = today.AddDays(-day).AddSeconds(i * 86_000.0 / RowsPerDay),
                        EntityKey = $"acct-{i}", ModelVersionId = champion, Score = random.NextDouble(), Label = random.Next(2) == 0 ? "true" : "false",
                        Inputs = inputs[random.Next(inputs.Length)],
                    });
                }

                await db.SaveChangesAsync(ct);
            }
        }

        return (target, shifted);
    }
}
