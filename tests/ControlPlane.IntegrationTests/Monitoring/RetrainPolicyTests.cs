using ControlPlane.Core.Monitoring;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.IntegrationTests.Monitoring;

public abstract class RetrainPolicyTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Drift_starts_one_retrain_per_cool_down_even_when_two_checks_apply_the_policy_at_once()
    {
        using var admin = App.CreateAdminClient();
        var slug = await DatasetUploads.CreateTenantAsync(admin, "us");
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, DatasetUploads.UseCase);
        await MonitoringRows.SetPolicyAsync(App, id, MonitoringSettings.Defaults with { RetrainOnDrift = true, RetrainCooldownHours = 24 });
        await MonitoringRows.SetHealthAsync(App, id, h => (h.Drift, h.DriftNote) = ("drift", "pages_viewed PSI 0.41"));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var policy = ActivatorUtilities.CreateInstance<RetrainPolicy>(App.Services, (TimeProvider)clock);

        var first = await Task.WhenAll(policy.ApplyAsync(id), policy.ApplyAsync(id));
        clock.Advance(TimeSpan.FromHours(23));
        var inside = await policy.ApplyAsync(id);
        clock.Advance(TimeSpan.FromHours(2));
        var after = await policy.ApplyAsync(id);

        Assert.Equal([RetrainDecision.Started, RetrainDecision.CoolingDown], first.Select(r => r.Decision).Order());
        Assert.Equal("auto-retrain: drift — pages_viewed PSI 0.41", first.Single(r => r.Decision == RetrainDecision.Started).Message);
        Assert.Equal(RetrainDecision.CoolingDown, inside.Decision);
        Assert.Contains("less than 24 h ago", inside.Message);
        Assert.Equal(RetrainDecision.Started, after.Decision);

        var runs = await App.WithDbAsync(db => db.PipelineRuns.Where(r => r.TenantSlug == slug && r.Trigger == RetrainPolicy.Trigger)
            .Select(r => new { r.Id, r.TriggeredBy }).ToListAsync());
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal("auto-retrain: drift — pages_viewed PSI 0.41", r.TriggeredBy));
        var alerts = await App.WithDbAsync(db => db.Notifications.CountAsync(n => n.EnrollmentId == id && n.Kind == AlertKinds.Retrain));
        Assert.Equal(2, alerts);
        var last = await App.WithDbAsync(db => db.EnrollmentMonitoring.Where(m => m.EnrollmentId == id).Select(m => m.LastAutoRetrainAt).SingleAsync());
        Assert.Equal(clock.GetUtcNow().UtcDateTime, DateTime.SpecifyKind(last!.Value, DateTimeKind.Utc), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Without_a_signal_the_policy_acts_on_nothing_is_started()
    {
        using var admin = App.CreateAdminClient();
        var slug = await DatasetUploads.CreateTenantAsync(admin, "us");
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, DatasetUploads.UseCase);
        await MonitoringRows.SetPolicyAsync(App, id, MonitoringSettings.Defaults with { RetrainOnDrift = false, RetrainOnDecay = true });
        await MonitoringRows.SetHealthAsync(App, id, h => (h.Drift, h.Decay) = ("drift", "warning"));

        var result = await App.Services.GetRequiredService<RetrainPolicy>().ApplyAsync(id);

        Assert.Equal(RetrainDecision.NoSignal, result.Decision);
        Assert.False(await App.WithDbAsync(db => db.PipelineRuns.AnyAsync(r => r.TenantSlug == slug)));
    }
}

public sealed class RetrainPolicyTestsOnSqlite(AppFixture<Sqlite> fixture) : RetrainPolicyTests<Sqlite>(fixture);

public sealed class RetrainPolicyTestsOnPostgres(AppFixture<Postgres> fixture) : RetrainPolicyTests<Postgres>(fixture);
