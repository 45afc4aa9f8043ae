using System.Net;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// The drift alert is decided by the conditional update that turns the health to drift: several health updates racing
/// on an enrollment that just started drifting raise one alert, and a later update while it stays drifting raises none.
/// </summary>
public abstract class DriftAlertOnceTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Racing_health_updates_of_a_newly_drifting_enrollment_raise_one_alert()
    {
        var slug = TestSlugs.New("alert");
        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Created,
            (await admin.PostJsonAsync("/api/v1/tenants", new { name = "Alert once", slug, region = "us", useCases = new[] { "churn-risk" } })).StatusCode);
        var target = await App.WithDbAsync(db => db.Enrollments.Where(e => e.Tenant!.Slug == slug)
            .Select(e => new DriftTarget(e.Id, slug, "churn-risk", e.UseCaseId, "us", TaskType.Binary)).SingleAsync());
        await App.WithDbAsync(db =>
        {
            var window = new DriftWindow
            {
                Id = Guid.NewGuid(), EnrollmentId = target.EnrollmentId, Source = "batch", Day = new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc),
                WindowStart = new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc), Rows = 500, ModelVersionId = Guid.NewGuid(), Status = "drift",
                DriftedFeatures = 1, JudgedFeatures = 1, CheckedAt = DateTime.UtcNow,
            };
            window.Features.Add(new DriftFeatureResult
            {
                EnrollmentId = target.EnrollmentId, Feature = "seats", Kind = "number", Status = "drift", Psi = 0.41, Test = "ks", Rows = 500,
            });
            db.DriftWindows.Add(window);
            return db.SaveChangesAsync();
        });

        var updater = App.Services.GetRequiredService<DriftHealthUpdater>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => updater.UpdateAsync(target, CancellationToken.None))));
        await updater.UpdateAsync(target, CancellationToken.None); // still drifting: no new alert

        Assert.Equal(1, await App.WithDbAsync(db => db.Notifications.CountAsync(n => n.Kind == AlertKinds.Drift && n.EnrollmentId == target.EnrollmentId)));
        var health = await App.WithDbAsync(db => db.EnrollmentHealth.SingleAsync(h => h.EnrollmentId == target.EnrollmentId));
        Assert.Equal(("drift", "seats PSI 0.41"), (health.Drift, health.DriftNote));
    }
}

public sealed class DriftAlertOnceTestsOnSqlite(AppFixture<Sqlite> fixture) : DriftAlertOnceTests<Sqlite>(fixture);

public sealed class DriftAlertOnceTestsOnPostgres(AppFixture<Postgres> fixture) : DriftAlertOnceTests<Postgres>(fixture);
