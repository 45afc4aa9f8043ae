using ControlPlane.Core.DemoData;
using ControlPlane.Core.Startup;
using ControlPlane.Core.Storage;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Demo;

public sealed class DemoAppFixture<TProvider> : AppFixture<TProvider> where TProvider : IProviderKind
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["ControlPlane:Demo:Seed"] = "true",
        ["ControlPlane:Demo:AsOfUtc"] = "2026-03-01T00:00:00Z",
    };
}

public abstract class DemoSeedingTests<TProvider>(DemoAppFixture<TProvider> fixture) : IClassFixture<DemoAppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Three_demo_tenants_in_two_regions_are_seeded_with_data_in_their_own_region()
    {
        var tenants = await App.WithDbAsync(db => db.Tenants.Include(t => t.Enrollments).OrderBy(t => t.Slug).ToListAsync());

        Assert.Equal(DemoTenants.Standard.Select(t => t.Slug).Order(), tenants.Select(t => t.Slug));
        Assert.Equal(["eu", "us"], tenants.Select(t => t.Region).Distinct().Order());
        foreach (var demo in DemoTenants.Standard)
        {
            var tenant = tenants.Single(t => t.Slug == demo.Slug);
            Assert.Equal(demo.UseCaseKeys.Count, tenant.Enrollments.Count);
            var files = await App.Regions.StoreFor(demo.Region).ListAsync(ArtifactPath.TenantRoot(demo.Slug));
            Assert.Equal(demo.UseCaseKeys.Count, files.Count);
            var other = demo.Region == "us" ? "eu" : "us";
            Assert.Empty(await App.Regions.StoreFor(other).ListAsync(ArtifactPath.TenantRoot(demo.Slug)));
        }

        var uploads = await App.WithDbAsync(db => db.DataUploads.ToListAsync());
        Assert.All(uploads, u => Assert.True(u.SizeBytes > 50_000, $"{u.StoragePath} holds only {u.SizeBytes} bytes"));
    }

    [Fact]
    public async Task Seeding_happens_once_in_a_databases_life()
    {
        await App.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(CancellationToken.None);
            return true;
        });
        Assert.Equal(DemoTenants.Standard.Count, await App.WithDbAsync(db => db.Tenants.CountAsync(t => t.CreatedBy == "demo-seeder")));
        Assert.True(await App.WithDbAsync(db => db.AppSettings.AnyAsync(s => s.Key == DemoSeeder.SeededFlag)));
    }

    [Fact]
    public async Task A_seeded_file_is_the_generators_csv_for_that_tenant()
    {
        var demo = DemoTenants.FabrikamEu;
        var path = (await App.Regions.StoreFor("eu").ListAsync(ArtifactPath.TenantRoot(demo.Slug))).Single(p => p.Contains("lead-scoring", StringComparison.Ordinal));
        await using var stream = await App.Regions.StoreFor("eu").OpenReadAsync(path);
        var header = await new StreamReader(stream!).ReadLineAsync();

        var expected = demo.Generate("lead-scoring", new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc)).Header;
        Assert.Equal(string.Join(',', expected), header);
    }
}

public sealed class DemoSeedingTestsOnSqlite(DemoAppFixture<Sqlite> fixture) : DemoSeedingTests<Sqlite>(fixture);

public sealed class DemoSeedingTestsOnPostgres(DemoAppFixture<Postgres> fixture) : DemoSeedingTests<Postgres>(fixture);
