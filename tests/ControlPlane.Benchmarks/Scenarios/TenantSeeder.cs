using ControlPlane.Core.Data;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>Inserts many realistic-looking tenants with 1–3 enrollments each, in batches.</summary>
public static class TenantSeeder
{
    private static readonly string[] First = ["Harbor", "Summit", "Blue", "Northern", "Granite", "Silver", "Cedar", "Atlas", "Pioneer", "Bright"];
    private static readonly string[] Second = ["Logistics", "Health", "Foods", "Analytics", "Retail", "Energy", "Labs", "Media", "Finance", "Travel"];

    public static async Task SeedAsync(IServiceProvider services, int count, CancellationToken ct)
    {
        var dbs = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var random = new Random(42);
        List<Guid> useCases;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            useCases = await db.UseCases.OrderBy(u => u.Key).Select(u => u.Id).ToListAsync(ct);
        }

        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var batch = 0; batch < count; batch += 1000)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = batch; i < Math.Min(count, batch + 1000); i++)
            {
                var slug = $"tenant-{i:D5}";
                var name = $"{First[random.Next(First.Length)]} {Second[random.Next(Second.Length)]} {i}";
                var tenant = new Tenant
                {
                    Id = Guid.NewGuid(), Slug = slug, Name = name, Region = random.NextDouble() < 0.35 ? "eu" : "us",
                    SearchText = Tenant.BuildSearchText(slug, name), CreatedAt = start.AddMinutes(i * 37), CreatedBy = "bench",
                };
                foreach (var useCase in useCases.OrderBy(_ => random.Next()).Take(1 + random.Next(3)))
                {
                    tenant.Enrollments.Add(new Enrollment { Id = Guid.NewGuid(), UseCaseId = useCase, CreatedAt = tenant.CreatedAt });
                }

                db.Tenants.Add(tenant);
            }

            await db.SaveChangesAsync(ct);
        }
    }
}
