using ControlPlane.Core.Data;
using ControlPlane.Core.Home;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>The tenants list and the home matrix at 10,000 tenants, through the same services the UI and API call.</summary>
public sealed class TenantsListScenario : IScenario
{
    private const int TenantCount = 10_000;

    public string Name => "tenants-list";
    public string Title => "Tenants list at 10,000 tenants";

    public string Description =>
        $"{TenantCount:N0} tenants with 1–3 enrollments each. Every operation is one call of `TenantService.ListAsync` or " +
        "`HomeMatrixService.GetAsync` (a fresh DbContext, a count and a page query), as the tenants page and `GET /api/v1/tenants` make it. " +
        "The floor is the cheapest query through the same stack: a fresh DbContext and a point lookup of one tenant by its unique slug. " +
        "A ratio near 1 means the list costs no more than the round trip itself.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var sqliteFolder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "sqlite")).FullName;
        await RunProviderAsync("Sqlite", $"Data Source={Path.Combine(sqliteFolder, "bench.db")}", sqliteFolder, floors, results, ct);

        var notes = new List<string>
        {
            "The bar for \"fast at 10,000 tenants\": every operation's median under 50 ms on both providers, so paging, " +
            "sorting and typing in the search box feel immediate. Sorting by enrollment count is the one operation that " +
            "aggregates over all tenants; every other sort walks a composite index (name, slug), (region, slug), (created, slug).",
        };
        if (settings.PostgresConnectionString is { } server)
        {
            await using var scratch = await ScratchPostgres.CreateAsync(server, "tenants");
            await RunProviderAsync("Postgres", scratch.ConnectionString, sqliteFolder, floors, results, ct);
        }
        else
        {
            notes.Add("PostgreSQL was not measured in this run (pass `--postgres \"<connection string>\"` or set CONTROLPLANE_BENCH_PG).");
        }

        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static async Task RunProviderAsync(
        string provider, string connectionString, string dataFolder, List<Measurement> floors, List<Measurement> results, CancellationToken ct)
    {
        await using var host = await CoreHost.CreateAsync(provider, connectionString, dataFolder);
        Console.WriteLine($"  {provider}: seeding {TenantCount:N0} tenants…");
        await TenantSeeder.SeedAsync(host.Services, TenantCount, ct);

        var dbs = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var floor = await Timing.MeasureAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            _ = await db.Tenants.AsNoTracking().Where(t => t.Slug == "tenant-05000").Select(t => t.Name).FirstOrDefaultAsync(ct);
        });
        floors.Add(new Measurement("floor: point lookup by slug", provider, floor, 1));

        await using var scope = host.Services.CreateAsyncScope();
        var tenants = scope.ServiceProvider.GetRequiredService<TenantService>();
        var matrix = scope.ServiceProvider.GetRequiredService<HomeMatrixService>();
        var operations = new (string Name, Func<Task> Run)[]
        {
            ("first page of 25, by name", () => tenants.ListAsync(new TenantQuery(), ct)),
            ("search 'harbor', first page", () => tenants.ListAsync(new TenantQuery { Search = "harbor" }, ct)),
            ("page 200 of 25, by name", () => tenants.ListAsync(new TenantQuery { Page = 200 }, ct)),
            ("by enrollment count, descending", () => tenants.ListAsync(new TenantQuery { SortBy = TenantSort.Enrollments, Descending = true }, ct)),
            ("region eu + use case churn-risk", () => tenants.ListAsync(new TenantQuery { Region = "eu", UseCase = "churn-risk" }, ct)),
            ("home matrix page (25 × 4)", () => matrix.GetAsync(new TenantQuery(), ct)),
        };
        foreach (var (name, run) in operations)
        {
            var timing = await Timing.MeasureAsync(run);
            results.Add(new Measurement(name, provider, timing, timing.MedianMs / floor.MedianMs));
            Console.WriteLine($"  {provider} {name}: {timing.MedianMs:0.00} ms");
        }
    }
}
