using System.Net;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// The drift alert belongs to the verdict's episode: the verdict turns to drift after the policy's drifting windows in a
/// row (two by default), several health updates racing on it raise one alert, a window that only warns in between does
/// not end the episode, and a healthy window does — the next drift is a new episode with its own alert.
/// </summary>
public abstract class DriftAlertOnceTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task One_episode_of_drift_raises_one_alert_however_many_updates_race_or_windows_waver()
    {
        var slug = TestSlugs.New("alert");
        using var admin = App.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Created,
            (await admin.PostJsonAsync("/api/v1/tenants", new { name = "Alert once", slug, region = "us", useCases = new[] { "churn-risk" } })).StatusCode);
        var target = await App.WithDbAsync(db => db.Enrollments.Where(e => e.Tenant!.Slug == slug)
            .Select(e => new DriftTarget(e.Id, slug, "churn-risk", e.UseCaseId, "us", TaskType.Binary)).SingleAsync());
        var updater = App.Services.GetRequiredService<DriftHealthUpdater>();
        Task<int> AlertsAsync() => App.WithDbAsync(db => db.Notifications.CountAsync(n => n.Kind == AlertKinds.Drift && n.EnrollmentId == target.EnrollmentId));
        Task<EnrollmentHealth> HealthAsync() => App.WithDbAsync(db => db.EnrollmentHealth.AsNoTracking().SingleAsync(h => h.EnrollmentId == target.EnrollmentId));

        await WindowAsync(target, 1, "drift");
        await updater.UpdateAsync(target, CancellationToken.None);
        Assert.Equal(("watch", "watch", 0), ((await HealthAsync()).Drift, (await HealthAsync()).Verdict, await AlertsAsync()));

        await WindowAsync(target, 2, "drift");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => updater.UpdateAsync(target, CancellationToken.None))));
        await updater.UpdateAsync(target, CancellationToken.None); // still drifting: no new alert
        var health = await HealthAsync();
        Assert.Equal(("drift", "drift"), (health.Drift, health.Verdict));
        Assert.Equal("seats PSI 0.41 — changed in 2 batch windows in a row to 2026-11-02, drifting in 2", health.DriftNote);
        Assert.Equal(1, await AlertsAsync());
        // The gauges count it, in the database, among the use case's enrollments.
        Assert.True(App.Services.GetRequiredService<HealthGauges>().Get("churn-risk")?.GetValueOrDefault("drift") >= 1);
        Assert.True(App.Services.GetRequiredService<DriftGauges>().Get("churn-risk")?.GetValueOrDefault("drift") >= 1);

        // A window that is fine, then drift again: watch in between, and the same episode.
        await WindowAsync(target, 3, "ok");
        await WindowAsync(target, 4, "drift");
        await updater.UpdateAsync(target, CancellationToken.None);
        Assert.Equal("watch", (await HealthAsync()).Verdict);
        await WindowAsync(target, 5, "warning");
        await updater.UpdateAsync(target, CancellationToken.None);
        Assert.Equal(("drift", 1), ((await HealthAsync()).Verdict, await AlertsAsync()));

        // A healthy newest window ends it; the next drift is a new episode.
        await WindowAsync(target, 6, "ok");
        await updater.UpdateAsync(target, CancellationToken.None);
        Assert.Equal(("healthy", (string?)null), ((await HealthAsync()).Verdict, (await HealthAsync()).AlertedVerdict));
        await WindowAsync(target, 7, "drift");
        await WindowAsync(target, 8, "drift");
        await updater.UpdateAsync(target, CancellationToken.None);
        Assert.Equal(("drift", 2), ((await HealthAsync()).Verdict, await AlertsAsync()));
    }

    private Task WindowAsync(DriftTarget target, int day, string status) => MonitoringRows.WindowAsync(App, target.EnrollmentId, day,
        new DriftFeatureResult { Feature = "seats", Kind = "number", Status = status, Psi = status == "ok" ? 0.01 : 0.41, Test = "ks" });
}

public sealed class DriftAlertOnceTestsOnSqlite(AppFixture<Sqlite> fixture) : DriftAlertOnceTests<Sqlite>(fixture);

public sealed class DriftAlertOnceTestsOnPostgres(AppFixture<Postgres> fixture) : DriftAlertOnceTests<Postgres>(fixture);
