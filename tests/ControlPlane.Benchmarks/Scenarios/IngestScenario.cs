using System.Globalization;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>The whole ingest of a 1,000,000-row, 20-column CSV into a dataset version, against parsing it alone.</summary>
public sealed class IngestScenario : IScenario
{
    private const int Rows = 1_000_000;

    public string Name => "ingest";
    public string Title => "Dataset version: 1,000,000 rows × 20 columns";

    public string Description =>
        $"`DatasetService.CreateVersionAsync` on the `ingest-parse` file ({Rows:N0} rows, {IngestCsvFile.Columns} columns) with SQLite and the local " +
        "region store: stream into the store while hashing, profile (read 1), write the typed Parquet snapshot (read 2), copy the raw file " +
        "into its version folder, record the row. The floor is `CsvTableReader` parsing the file once, which the ingest does twice. " +
        "Each run ingests into a fresh tenant, so no run is answered by the same-bytes shortcut.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var path = Path.Combine(settings.WorkFolder, "ingest.csv");
        Console.WriteLine($"  writing {Rows:N0} rows…");
        var bytes = IngestCsvFile.Write(path, Rows);
        var folder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "ingest-sqlite")).FullName;
        await using var host = await CoreHost.CreateAsync("Sqlite", $"Data Source={Path.Combine(folder, "bench.db")}", folder);

        var parse = await Timing.MeasureAsync(() => IngestCsvFile.ParseAsync(path, Rows, ct), runs: 3, warmup: 1);
        long peak = 0;
        var tenant = 0;
        DatasetVersionSummary? version = null;
        var ingest = await Timing.MeasureAsync(async () =>
        {
            var slug = await CreateTenantAsync(host.Services, ++tenant, ct);
            using var sampler = new PeakMemorySampler();
            version = await IngestAsync(host.Services, slug, path, ct);
            peak = Math.Max(peak, sampler.Stop());
        }, runs: 3, warmup: 1);

        var c = CultureInfo.InvariantCulture;
        var floors = new List<Measurement> { new("floor: CsvTableReader parse", "file", parse, 1) };
        var results = new List<Measurement> { new("DatasetService.CreateVersionAsync", "Sqlite", ingest, ingest.MedianMs / parse.MedianMs) };
        var notes = new List<string>
        {
            string.Create(c, $"File: {bytes / 1e6:0} MB; version: {version!.RowCount:N0} rows, {version.ColumnCount} columns. Rows per second (median): parse {Rate(parse)}, whole ingest {Rate(ingest)}."),
            string.Create(c, $"Peak working set during an ingest (sampled every 10 ms, whole process): {peak / (1024 * 1024)} MB."),
            string.Create(c, $"The bars (issue 4): ≤ 10 s and ≤ 600 MB. Median {ingest.MedianMs / 1000:0.0} s: {(ingest.MedianMs <= 10_000 ? "met" : "NOT met")}; peak {peak / (1024 * 1024)} MB: {(peak <= 600L * 1024 * 1024 ? "met" : "NOT met")}."),
        };
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static string Rate(Timing t) => (Rows / (t.MedianMs / 1000)).ToString("N0", CultureInfo.InvariantCulture);

    private static async Task<DatasetVersionSummary> IngestAsync(IServiceProvider services, string slug, string path, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await using var file = File.OpenRead(path);
        var result = await scope.ServiceProvider.GetRequiredService<DatasetService>()
            .CreateVersionAsync(slug, "churn-risk", "ingest.csv", file, "bench", ct);
        if (!result.IsOk || result.Value!.Reused || result.Value.Version.RowCount != Rows)
        {
            throw new InvalidOperationException($"The ingest did not create a full version: {result.Status} {result.Message}");
        }

        return result.Value.Version;
    }

    private static async Task<string> CreateTenantAsync(IServiceProvider services, int n, CancellationToken ct)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync(ct);
        var slug = $"ingest-{n:D2}";
        var tenant = new Tenant
        {
            Id = Guid.NewGuid(), Slug = slug, Name = slug, Region = "us", SearchText = Tenant.BuildSearchText(slug, slug),
            CreatedAt = DateTime.UtcNow, CreatedBy = "bench",
        };
        tenant.Enrollments.Add(new Enrollment
        {
            Id = Guid.NewGuid(), UseCaseId = await db.UseCases.Where(u => u.Key == "churn-risk").Select(u => u.Id).SingleAsync(ct),
            CreatedAt = tenant.CreatedAt,
        });
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(ct);
        return slug;
    }
}
