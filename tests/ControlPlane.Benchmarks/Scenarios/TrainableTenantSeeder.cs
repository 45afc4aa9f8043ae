using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Startup;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// Generated demo tenants enrolled in one use case, half in each region, each seeded as the demo seeder seeds its
/// tenants (an upload of its generated data and the demo rules) and ingested as <c>data-refresh</c> ingests, so each
/// has one validated dataset version: everything a retrain needs.
/// </summary>
public static class TrainableTenantSeeder
{
    public static async Task<IReadOnlyList<DemoTenant>> SeedAsync(IServiceProvider services, int count, string useCase, int rows, CancellationToken ct)
    {
        var tenants = Enumerable.Range(0, count).Select(i => new DemoTenant
        {
            Slug = $"bench-{i:D4}", DisplayName = $"Bench tenant {i}", Region = i % 2 == 0 ? "us" : "eu",
            UseCaseKeys = [useCase], Seed = 1000 + i, Rows = rows,
        }).ToList();
        foreach (var tenant in tenants)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedTenantAsync(tenant, DemoGenerationOptions.DefaultAsOfUtc, ct);
            var ingest = scope.ServiceProvider.GetRequiredService<DatasetIngestService>();
            var result = await ingest.IngestAsync(tenant.Slug, useCase, "bench", (_, _) => Task.CompletedTask, ct);
            if (!result.IsOk || result.Value!.Created.Count != 1)
            {
                throw new InvalidOperationException($"Seeding {tenant.Slug} did not give one dataset version: {result.Message}");
            }
        }

        return tenants;
    }
}
