using ControlPlane.Core.Data;
using ControlPlane.Core.Home;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>The home matrix with health at 1,000 tenants × 4 use cases: its queries and its rendered markup.</summary>
public sealed class HomeMatrixScenario : IScenario
{
    private const int DefaultTenants = 1_000;

    public string Name => "home-matrix";
    public string Title => "Home matrix with health: 1,000 tenants × 4 use cases";

    public string Description =>
        "Every tenant enrolled in all 4 use cases, each enrollment with a champion version, a health row (drift, decay, SLA) and for a third a saved " +
        "monitoring policy. Measured: `HomeMatrixService.GetAsync` for the UI's page (25 tenants) and for all 1,000 tenants (5 pages of 200, the largest " +
        "page size), and rendering the matrix component (`MatrixTable`, each cell a `MatrixCellView` with its health colour and tooltip) for all 1,000 " +
        "tenants with Blazor's static `HtmlRenderer`. The floor is a plain query of the same rows: every enrollment with its health and champion's " +
        "creation time in one query through the same DbContext factory. Bar: all 1,000 tenants' data plus markup under 1 s.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var tenants = int.TryParse(settings.Option("--matrix-tenants"), out var n) ? n : DefaultTenants;
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var notes = new List<string>();
        var sqliteFolder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "home-matrix")).FullName;
        await RunProviderAsync("Sqlite", $"Data Source={Path.Combine(sqliteFolder, "bench.db")}", sqliteFolder, tenants, floors, results, notes, ct);
        if (settings.PostgresConnectionString is { } server)
        {
            await using var scratch = await ScratchPostgres.CreateAsync(server, "matrix");
            await RunProviderAsync("Postgres", scratch.ConnectionString, sqliteFolder, tenants, floors, results, notes, ct);
        }
        else
        {
            notes.Add("PostgreSQL was not measured in this run (pass `--postgres \"<connection string>\"` or set CONTROLPLANE_BENCH_PG).");
        }

        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static async Task RunProviderAsync(
        string provider, string connectionString, string dataFolder, int tenants,
        List<Measurement> floors, List<Measurement> results, List<string> notes, CancellationToken ct)
    {
        await using var host = await CoreHost.CreateAsync(provider, connectionString, dataFolder);
        Console.WriteLine($"  {provider}: seeding {tenants:N0} tenants × 4 enrollments with champions and health…");
        await HomeMatrixSeeder.SeedAsync(host.Services, tenants, ct);

        var dbs = host.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var floor = await Timing.MeasureAsync(async () =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            _ = await (from e in db.Enrollments.AsNoTracking()
                       join h in db.EnrollmentHealth on e.Id equals h.EnrollmentId
                       select new { e.Id, e.Tenant!.Slug, h.Drift, h.Decay, h.Sla, Trained = db.ModelAliases.Where(a => a.EnrollmentId == e.Id).Select(a => a.ModelVersion!.CreatedAt).FirstOrDefault() })
                .ToListAsync(ct);
        }, runs: 20, warmup: 3);
        floors.Add(new Measurement($"floor: one plain query of all {tenants * 4:N0} enrollments with health and champion", provider, floor, 1));

        await using var scope = host.Services.CreateAsyncScope();
        var matrix = scope.ServiceProvider.GetRequiredService<HomeMatrixService>();
        await using var markup = new MatrixMarkup();
        var pages = (int)Math.Ceiling(tenants / (double)TenantQuery.MaxPageSize);

        async Task<HomeMatrix> All()
        {
            var rows = new List<MatrixRow>();
            HomeMatrix? last = null;
            for (var page = 0; page < pages; page++)
            {
                last = await matrix.GetAsync(new TenantQuery { Page = page, PageSize = TenantQuery.MaxPageSize }, ct);
                rows.AddRange(last.Rows.Items);
            }

            return new HomeMatrix(last!.Columns, new Core.Common.PagedResult<MatrixRow>(rows, last.Rows.TotalCount, 0, rows.Count), last.HealthCounts);
        }

        var whole = await All();
        var html = await markup.RenderAsync(whole);
        notes.Add($"{provider}: the {tenants:N0}-tenant matrix renders {html.Length / 1024.0 / 1024.0:0.0} MB of HTML for {whole.Rows.Items.Count:N0} rows; " +
            $"cells by health: {string.Join(", ", whole.Rows.Items.SelectMany(r => r.Cells.Values).GroupBy(c => c.Health!.Verdict).OrderBy(g => Core.Monitoring.Health.Verdicts.Rank(g.Key)).Select(g => $"{g.Key} {g.Count():N0}"))}.");

        var operations = new (string Name, Func<Task> Run)[]
        {
            ("matrix data, the UI's page (25 × 4)", () => matrix.GetAsync(new TenantQuery(), ct)),
            ($"matrix data, all {tenants:N0} tenants ({pages} pages of {TenantQuery.MaxPageSize})", All),
            ($"matrix markup, all {tenants:N0} tenants", () => markup.RenderAsync(whole)),
            ($"matrix data + markup, all {tenants:N0} tenants", async () => await markup.RenderAsync(await All())),
        };
        foreach (var (name, run) in operations)
        {
            var timing = await Timing.MeasureAsync(run, runs: 20, warmup: 3);
            results.Add(new Measurement(name, provider, timing, timing.MedianMs / floor.MedianMs));
            Console.WriteLine($"  {provider} {name}: {timing.MedianMs:0.00} ms (p95 {timing.P95Ms:0.00})");
        }
    }
}
