using ControlPlane.ML;
using ControlPlane.Core.Tenants;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Data;

public abstract class SchemaTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task The_migrations_cover_the_model_and_are_all_applied()
    {
        await App.WithDbAsync(async db =>
        {
            Assert.False(db.Database.HasPendingModelChanges(),
                $"The model has changes without a migration for {App.Database.Provider}: run migrations/add-migration.sh <Name>.");
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
            return true;
        });
    }

    [Fact]
    public async Task Timestamps_round_trip_as_utc()
    {
        var slug = TestSlugs.New("utc");
        var created = new DateTime(2026, 3, 4, 10, 15, 30, 123, DateTimeKind.Utc).AddTicks(4560);
        await App.WithDbAsync(async db =>
        {
            db.Tenants.Add(new Tenant { Id = Guid.NewGuid(), Slug = slug, Name = "Utc", Region = "us", CreatedAt = created, SearchText = slug });
            return await db.SaveChangesAsync();
        });

        var read = await App.WithDbAsync(db => db.Tenants.AsNoTracking().Where(t => t.Slug == slug).Select(t => t.CreatedAt).SingleAsync());

        Assert.Equal(DateTimeKind.Utc, read.Kind);
        Assert.Equal(created, read);
    }

    [Fact]
    public async Task Built_in_use_cases_and_roles_are_seeded_once()
    {
        var keys = await App.WithDbAsync(db => db.UseCases.Where(u => u.IsBuiltIn).OrderBy(u => u.Key).Select(u => u.Key).ToListAsync());
        Assert.Equal(["churn-risk", "lead-scoring", "resolution-time", "ticket-routing"], keys);
        var roles = await App.WithDbAsync(db => db.Roles.OrderBy(r => r.Name).Select(r => r.Name).ToListAsync());
        Assert.Equal(["Admin", "Analyst", "Viewer"], roles);
        var ticketRouting = await App.WithDbAsync(db => db.UseCases.SingleAsync(u => u.Key == "ticket-routing"));
        Assert.Contains(ticketRouting.DefaultFeatures, f => f.Type == FeatureType.Text);
    }
}

public sealed class SchemaTestsOnSqlite(AppFixture<Sqlite> fixture) : SchemaTests<Sqlite>(fixture);

public sealed class SchemaTestsOnPostgres(AppFixture<Postgres> fixture) : SchemaTests<Postgres>(fixture);
