using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.CrossTenant;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Monitoring;

public abstract class UseCaseDriftTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Each_tenant_shows_the_features_of_its_latest_window_only()
    {
        using var admin = App.CreateAdminClient();
        var slug = await DatasetUploads.CreateTenantAsync(admin, "us");
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, DatasetUploads.UseCase);
        await MonitoringRows.SetHealthAsync(App, id, h => (h.Drift, h.DriftNote) = ("drift", "amount PSI 0.4"));
        var day = DateTime.UtcNow.Date;
        await App.WithDbAsync(db =>
        {
            foreach (var (source, windowDay, psi, at) in new[] { ("batch", day.AddDays(-2), 0.9, -3), ("batch", day, 0.1, -2), ("realtime", day, 0.4, -1) })
            {
                var window = new DriftWindow
                {
                    Id = Guid.NewGuid(), EnrollmentId = id, Source = source, Day = windowDay, WindowStart = windowDay, Rows = 100,
                    ModelVersionId = Guid.NewGuid(), Status = "drift", CheckedAt = DateTime.UtcNow.AddMinutes(at),
                };
                window.Features.Add(new DriftFeatureResult { EnrollmentId = id, Feature = "amount", Kind = "number", Status = psi >= 0.2 ? "drift" : "ok", Psi = psi });
                window.Features.Add(new DriftFeatureResult { EnrollmentId = id, Feature = "(prediction)", Kind = "number", Status = "ok", Psi = 0.01 });
                db.DriftWindows.Add(window);
            }

            return db.SaveChangesAsync();
        });

        var drift = await App.Services.GetRequiredService<UseCaseDriftService>().GetAsync(DatasetUploads.UseCase);

        var tenant = drift!.Tenants.Single(t => t.Slug == slug);
        Assert.Equal(("drift", DateOnly.FromDateTime(day)), (tenant.Status, tenant.Day));
        Assert.Equal(["amount"], tenant.Features.Keys);
        Assert.Equal(0.4, tenant.Features["amount"].Psi);
        Assert.Null(await App.Services.GetRequiredService<UseCaseDriftService>().GetAsync("no-such-use-case"));

        var api = await (await admin.GetAsync($"/api/v1/use-cases/{DatasetUploads.UseCase}/drift")).ReadNodeAsync();
        var row = api["tenants"]!.AsArray().Single(t => t!["slug"]!.GetValue<string>() == slug)!;
        Assert.Equal(("drift", "amount"), (row["status"]!.GetValue<string>(), row["top"]![0]!.GetValue<string>()));
        Assert.Equal(0.4, row["features"]![0]!["psi"]!.GetValue<double>());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/use-cases/no-such-use-case/drift")).StatusCode);
    }
}

public sealed class UseCaseDriftTestsOnSqlite(AppFixture<Sqlite> fixture) : UseCaseDriftTests<Sqlite>(fixture);

public sealed class UseCaseDriftTestsOnPostgres(AppFixture<Postgres> fixture) : UseCaseDriftTests<Postgres>(fixture);
