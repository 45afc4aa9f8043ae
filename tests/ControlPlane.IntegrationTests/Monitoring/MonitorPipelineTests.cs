using System.Net;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Options;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// The monitoring pipelines end to end: a batch score of drifting data ends with a drift check that, by the
/// enrollment's policy, starts one automatic retrain; "Check now" (a monitor run) then checks drift, decay and SLAs and
/// leaves the retrain alone inside its cool-down. The sweep that starts monitor-all runs is claimed by one node per interval.
/// </summary>
public abstract class MonitorPipelineTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = DemoUseCaseKeys.ChurnRisk;
    private static readonly DateTime AsOf = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Drift_after_a_batch_score_retrains_once_and_a_monitor_run_checks_everything_inside_the_cool_down()
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("monitor");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Monitor {slug}", slug, region = "us", useCases = new[] { UseCase } })).EnsureSuccessStatusCode();
        var policy = await admin.PutAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/monitoring",
            new StringContent("""{"retrainOnDrift": true, "retrainCooldownHours": 24}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        var dataset = DemoDataGenerator.Generate(UseCase, new DemoGenerationOptions
        {
            TenantSlug = "drift-check-demo", Rows = 6000, Seed = 5, AsOfUtc = AsOf, Span = TimeSpan.FromDays(60), DriftAfterUtc = AsOf.AddDays(-12),
        });
        await RetrainTenants.AddUploadAsync(App, slug, UseCase, "data.csv", DatasetUploads.Csv(dataset));
        await RetrainTenants.SaveRulesAsync(App, slug, UseCase, await DemoRuleSet.ForAsync(dataset));
        await RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain");
        await RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores");

        // The batch score's drift check found drift, and the policy started one retrain.
        var enrollment = await App.WithDbAsync(db => db.Enrollments.Where(e => e.Tenant!.Slug == slug).Select(e => e.Id).SingleAsync());
        Assert.Equal("drift", await App.WithDbAsync(db => db.EnrollmentHealth.Where(h => h.EnrollmentId == enrollment).Select(h => h.Drift).SingleAsync()));
        var auto = await App.WithDbAsync(db => db.PipelineRuns.Where(r => r.TenantSlug == slug && r.Trigger == RetrainPolicy.Trigger).ToListAsync());
        var retrain = Assert.Single(auto);
        Assert.Equal(RetrainPipelines.Retrain, retrain.Pipeline);
        Assert.Equal(1, await App.WithDbAsync(db => db.Notifications.CountAsync(n => n.Kind == AlertKinds.Retrain && n.EnrollmentId == enrollment)));

        // "Check now": drift (both sources), decay, SLAs, then the policy — which is cooling down.
        var monitor = await RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/monitoring/checks");
        Assert.Equal(
            new[] { DriftPipelines.DriftCheckTask, MonitoringPipelines.DecayCheckTask, MonitoringPipelines.RetrainPolicyTask, MonitoringPipelines.SlaCheckTask }.Order(StringComparer.Ordinal),
            monitor.Tasks.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(monitor.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
        Assert.Single(await App.WithDbAsync(db => db.PipelineRuns.Where(r => r.TenantSlug == slug && r.Trigger == RetrainPolicy.Trigger).ToListAsync()));
        Assert.True(await App.WithDbAsync(db => db.PerformanceWindows.AnyAsync(p => p.EnrollmentId == enrollment && p.Kind == PerformanceKinds.Estimated)));
        Assert.True(await App.WithDbAsync(db => db.SlaResults.AnyAsync(s => s.EnrollmentId == enrollment && s.Kind == SlaKinds.ModelAge)));
        Assert.True(await App.WithDbAsync(db => db.DriftWindows.AnyAsync(w => w.EnrollmentId == enrollment && w.Source == "batch")));
        var health = await App.WithDbAsync(db => db.EnrollmentHealth.SingleAsync(h => h.EnrollmentId == enrollment));
        Assert.NotNull(health.Decay);
        Assert.NotNull(health.Sla);

        await admin.WaitFinishedAsync(retrain.Id, TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task Of_two_nodes_sweeping_on_one_database_one_claims_each_interval_and_none_at_start()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero));
        var options = Microsoft.Extensions.Options.Options.Create(new ControlPlaneOptions { Monitoring = { SweepInterval = TimeSpan.FromHours(1) } });
        MonitoringSweep Node() => ActivatorUtilities.CreateInstance<MonitoringSweep>(App.Services, (TimeProvider)clock, options);
        var (a, b) = (Node(), Node());
        await App.WithDbAsync(db => db.AppSettings.Where(s => s.Key == MonitoringSweep.Key).ExecuteDeleteAsync());

        Assert.False(await a.ClaimAsync(CancellationToken.None)); // the first node sets the first due time: no sweep at start
        Assert.False(await b.ClaimAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.False(await b.ClaimAsync(CancellationToken.None));

        clock.Advance(TimeSpan.FromMinutes(2));
        var claims = await Task.WhenAll(a.ClaimAsync(CancellationToken.None), b.ClaimAsync(CancellationToken.None));
        Assert.Equal(1, claims.Count(c => c));
        Assert.False(await a.ClaimAsync(CancellationToken.None));

        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(await b.ClaimAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_sweep_starts_monitor_all_per_use_case_with_enrollments_and_skips_one_whose_previous_run_is_unfinished()
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("sweep");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Sweep {slug}", slug, region = "us", useCases = new[] { UseCase, DemoUseCaseKeys.LeadScoring } }))
            .EnsureSuccessStatusCode();
        // A lead-scoring sweep that has not finished (a run row without tasks: nothing executes it).
        var unfinished = new PipelineRun
        {
            Id = Guid.NewGuid(), Pipeline = MonitoringPipelines.MonitorAll, UseCase = DemoUseCaseKeys.LeadScoring, State = RunState.Running,
            Trigger = "schedule", TriggeredBy = MonitoringSweep.Actor, CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
        };
        await App.WithDbAsync(db => { db.PipelineRuns.Add(unfinished); return db.SaveChangesAsync(); });
        try
        {
            var started = await App.Services.GetRequiredService<MonitoringSweep>().StartSweepAsync(CancellationToken.None);

            Assert.Contains(UseCase, started);
            Assert.DoesNotContain(DemoUseCaseKeys.LeadScoring, started);
            var run = await App.WithDbAsync(db => db.PipelineRuns.Where(r => r.Pipeline == MonitoringPipelines.MonitorAll && r.UseCase == UseCase)
                .OrderByDescending(r => r.CreatedAt).FirstAsync());
            Assert.Equal("schedule", run.Trigger);
            var finished = await admin.WaitFinishedAsync(run.Id, TimeSpan.FromMinutes(3));
            Assert.True(finished.Run.State == RunState.Succeeded, RunsClient.Describe(finished));
        }
        finally
        {
            await App.WithDbAsync(db => db.PipelineRuns.Where(r => r.Id == unfinished.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RunState.Cancelled)));
        }
    }

    private static async Task<RunDetails> RunAsync(HttpClient admin, string url)
    {
        var response = await admin.PostJsonAsync(url, new { });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var run = await admin.WaitFinishedAsync((await response.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(3));
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        return run;
    }
}

public sealed class MonitorPipelineTestsOnSqlite(RetrainFixture<Sqlite> fixture) : MonitorPipelineTests<Sqlite>(fixture);

public sealed class MonitorPipelineTestsOnPostgres(RetrainFixture<Postgres> fixture) : MonitorPipelineTests<Postgres>(fixture);
