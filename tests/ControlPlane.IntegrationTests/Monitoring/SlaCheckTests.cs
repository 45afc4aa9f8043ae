using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.Sla;
using ControlPlane.Core.Registry;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.IntegrationTests.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ControlPlane.IntegrationTests.Monitoring;

public abstract class SlaCheckTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_day_is_judged_per_sla_stored_once_per_kind_alerted_once_and_shown_as_health()
    {
        var slug = await ModelVersions.EnrollmentWithDatasetAsync(App, "us");
        var version = await ModelVersions.RegisteredAsync(App, slug, 0.8);
        var promoted = await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(slug, ModelVersions.UseCase, version, AliasNames.Champion, "test", "first"));
        Assert.True(promoted.IsOk, promoted.Message);
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, ModelVersions.UseCase);
        await MonitoringRows.SetPolicyAsync(App, id, MonitoringSettings.Defaults with { MaxModelAgeDays = 30, BatchDeadlineUtc = "06:00", PredictP99BudgetMs = 50 });
        await MonitoringRows.SetHealthAsync(App, id, h => (h.Drift, h.DriftNote) = ("warning", "amount PSI 0.15"));

        // Trained at midnight today (pinned: the age must not depend on the hour the test runs); 41 days later, at 07:00,
        // the model is 41.3 days old and the deadline has passed with no batch score.
        var trained = DateTime.UtcNow.Date;
        await App.WithDbAsync(db => db.ModelVersions.Where(v => v.EnrollmentId == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.CreatedAt, trained)));
        var day = DateOnly.FromDateTime(trained.AddDays(41));
        var clock = new FakeTimeProvider(new DateTimeOffset(day.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero));
        var checks = ActivatorUtilities.CreateInstance<SlaChecks>(App.Services, (TimeProvider)clock);
        await StoreLatenciesAsync(id, day, ("node-a", 120, 1), ("node-b", 2, 999)); // the merged p99 is in the 2 ms bucket: met

        var first = await checks.CheckAsync(id, day);
        var second = await checks.CheckAsync(id, day);

        Assert.Equal([SlaKinds.BatchDeadline, SlaKinds.ModelAge, SlaKinds.PredictLatency], second.Verdicts.Select(v => v.Kind).Order());
        Assert.Equal("model 41 days old (max 30)", first.Verdicts.Single(v => v.Kind == SlaKinds.ModelAge).Note);
        Assert.False(first.Verdicts.Single(v => v.Kind == SlaKinds.BatchDeadline).Met);
        var p99 = first.Verdicts.Single(v => v.Kind == SlaKinds.PredictLatency);
        Assert.True(p99.Met, p99.Note);
        Assert.Equal(2.51, p99.Measured!.Value, 2); // the upper bound of the bucket holding 2 ms

        var stored = await App.WithDbAsync(db => db.SlaResults.Where(r => r.EnrollmentId == id).ToListAsync());
        Assert.Equal(3, stored.Count);
        var alerts = await App.WithDbAsync(db => db.Notifications.Where(n => n.EnrollmentId == id && n.Kind == AlertKinds.Sla).Select(n => n.Title).ToListAsync());
        Assert.Equal(2, alerts.Count); // model age and batch deadline, once each although checked twice
        var health = await App.WithDbAsync(db => db.EnrollmentHealth.AsNoTracking().SingleAsync(h => h.EnrollmentId == id));
        Assert.Equal(("missed", "warning", "amount PSI 0.15"), (health.Sla, health.Drift, health.DriftNote));
        Assert.Contains("model 41 days old (max 30)", health.SlaNote);

        var adherence = await ActivatorUtilities.CreateInstance<SlaAdherenceService>(App.Services, (TimeProvider)clock).GetAsync(id);
        var age = adherence.Single(a => a.Kind == SlaKinds.ModelAge);
        Assert.Equal((0, 1, 30), (age.Met, age.Judged, age.Days.Count));
        Assert.Equal(day, age.Misses.Single().Day);
        Assert.Equal(100, adherence.Single(a => a.Kind == SlaKinds.PredictLatency).Percent);
    }

    [Theory]
    [InlineData(false)] // nothing stored yet: the racing checks all try to insert
    [InlineData(true)] // stored as met by an earlier check: the racing checks all turn it missed
    public async Task Checks_racing_on_one_day_store_one_result_per_sla_and_alert_each_miss_once(bool metBefore)
    {
        var slug = await ModelVersions.EnrollmentWithDatasetAsync(App, "us");
        var version = await ModelVersions.RegisteredAsync(App, slug, 0.8);
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(slug, ModelVersions.UseCase, version, AliasNames.Champion, "test", "first"))).IsOk);
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, ModelVersions.UseCase);
        await MonitoringRows.SetPolicyAsync(App, id, MonitoringSettings.Defaults with { MaxModelAgeDays = 30, BatchDeadlineUtc = "06:00" });
        var trained = DateTime.UtcNow.Date;
        await App.WithDbAsync(db => db.ModelVersions.Where(v => v.EnrollmentId == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.CreatedAt, trained)));
        var day = DateOnly.FromDateTime(trained.AddDays(41));
        var dayStart = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        if (metBefore)
        {
            await App.WithDbAsync(db =>
            {
                db.SlaResults.Add(new SlaResult { EnrollmentId = id, Kind = SlaKinds.ModelAge, Day = dayStart, Met = true, Limit = 30, Note = "met earlier", CheckedAt = DateTime.UtcNow });
                db.SlaResults.Add(new SlaResult { EnrollmentId = id, Kind = SlaKinds.BatchDeadline, Day = dayStart, Met = true, Note = "met earlier", CheckedAt = DateTime.UtcNow });
                return db.SaveChangesAsync();
            });
        }

        var clock = new FakeTimeProvider(new DateTimeOffset(day.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero));
        var checks = Enumerable.Range(0, 4).Select(_ => ActivatorUtilities.CreateInstance<SlaChecks>(App.Services, (TimeProvider)clock)).ToList();

        var results = await Task.WhenAll(checks.Select(c => Task.Run(() => c.CheckAsync(id, day))));

        Assert.All(results, r => Assert.False(r.AllMet));
        var stored = await App.WithDbAsync(db => db.SlaResults.Where(r => r.EnrollmentId == id).OrderBy(r => r.Kind).Select(r => new { r.Kind, r.Met }).ToListAsync());
        Assert.Equal([(SlaKinds.BatchDeadline, false), (SlaKinds.ModelAge, false)], stored.Select(r => (r.Kind, r.Met)));
        var alerts = await App.WithDbAsync(db => db.Notifications.Where(n => n.EnrollmentId == id && n.Kind == AlertKinds.Sla).Select(n => n.Title).ToListAsync());
        Assert.Equal(2, alerts.Count);
        Assert.Single(alerts, a => a.EndsWith($"({SlaKinds.ModelAge})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_flusher_adds_this_nodes_recorded_latencies_to_its_row_of_the_day()
    {
        var slug = await ModelVersions.EnrollmentWithDatasetAsync(App, "us");
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, ModelVersions.UseCase);
        var recorder = App.Services.GetRequiredService<PredictLatencyRecorder>();
        var flusher = App.Services.GetRequiredService<LatencyFlusher>();

        for (var i = 0; i < 10; i++)
        {
            recorder.Record(id, TimeSpan.FromMilliseconds(3));
        }

        await flusher.FlushAsync();
        recorder.Record(id, TimeSpan.FromMilliseconds(3));
        await flusher.FlushAsync();

        var row = await App.WithDbAsync(db => db.PredictLatencyDays.AsNoTracking().SingleAsync(l => l.EnrollmentId == id));
        Assert.Equal((11L, flusher.Node), (row.Count, row.Node));
        var counts = new long[LatencyBuckets.Count];
        LatencyBuckets.Add(counts, row.Buckets);
        Assert.Equal(11, counts[LatencyBuckets.IndexOf(TimeSpan.FromMilliseconds(3).Ticks)]);
    }

    [Fact]
    public async Task The_api_gives_each_slas_adherence_with_its_days_and_misses()
    {
        using var admin = App.CreateAdminClient();
        var slug = await Datasets.DatasetUploads.CreateTenantAsync(admin, "us");
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, ModelVersions.UseCase);
        var today = DateTime.UtcNow.Date;
        await App.WithDbAsync(db =>
        {
            db.SlaResults.Add(new SlaResult { EnrollmentId = id, Kind = SlaKinds.ModelAge, Day = today, Met = false, Limit = 30, Note = "model 41 days old (max 30)", CheckedAt = DateTime.UtcNow });
            db.SlaResults.Add(new SlaResult { EnrollmentId = id, Kind = SlaKinds.ModelAge, Day = today.AddDays(-1), Met = true, Limit = 30, Note = "model 40 days old (max 30)", CheckedAt = DateTime.UtcNow });
            db.SlaResults.Add(new SlaResult { EnrollmentId = id, Kind = SlaKinds.ModelAge, Day = today.AddDays(-40), Met = false, Limit = 30, Note = "too old to count", CheckedAt = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });

        var body = await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{ModelVersions.UseCase}/slas?days=7")).ReadNodeAsync();
        var missing = await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/ticket-routing/slas");
        var wrong = await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{ModelVersions.UseCase}/slas?days=0");

        var age = body["slas"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == SlaKinds.ModelAge)!;
        Assert.Equal((1, 2, 50.0), (age["met"]!.GetValue<int>(), age["judged"]!.GetValue<int>(), age["percent"]!.GetValue<double>()));
        Assert.Equal(7, age["days"]!.AsArray().Count);
        Assert.Equal("model 41 days old (max 30)", age["misses"]![0]!["note"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("days must be between 1 and 366", (await wrong.ReadNodeAsync()).FieldErrors("days")[0], StringComparison.Ordinal);
    }

    private Task<int> StoreLatenciesAsync(Guid id, DateOnly day, params (string Node, double Ms, long Count)[] rows) =>
        App.WithDbAsync(db =>
        {
            foreach (var (node, ms, count) in rows)
            {
                var counts = new long[LatencyBuckets.Count];
                counts[LatencyBuckets.IndexOf(TimeSpan.FromMilliseconds(ms).Ticks)] = count;
                db.PredictLatencyDays.Add(new PredictLatencyDay
                {
                    EnrollmentId = id, Day = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), Node = node,
                    Count = count, Buckets = LatencyBuckets.Format(counts), UpdatedAt = DateTime.UtcNow,
                });
            }

            return db.SaveChangesAsync();
        });
}

public sealed class SlaCheckTestsOnSqlite(AppFixture<Sqlite> fixture) : SlaCheckTests<Sqlite>(fixture);

public sealed class SlaCheckTestsOnPostgres(AppFixture<Postgres> fixture) : SlaCheckTests<Postgres>(fixture);
