using ControlPlane.Core.Housekeeping;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Options;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Predictions;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.IntegrationTests.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Housekeeping;

public abstract class RetentionTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task The_housekeeping_run_removes_each_kind_past_its_retention_and_keeps_the_rest()
    {
        using var admin = App.CreateAdminClient();
        var slug = await DatasetUploads.CreateTenantAsync(admin, "us");
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, DatasetUploads.UseCase);
        var now = DateTime.UtcNow;
        var defaults = new RetentionOptions();
        var (oldLog, newLog) = (now.AddDays(-defaults.PredictionLogDays - 1), now.AddDays(-defaults.PredictionLogDays + 1));
        var (oldNote, newNote) = (now.AddDays(-defaults.NotificationDays - 1), now.AddDays(-defaults.NotificationDays + 1));
        var (oldDay, newDay) = (now.Date.AddDays(-defaults.MonitoringDays - 1), now.Date.AddDays(-defaults.MonitoringDays + 1));
        var oldNotification = Guid.NewGuid();
        await App.WithDbAsync(db =>
        {
            // Rows of RetentionService.BatchSize + 5 old real-time predictions: more than one batch.
            for (var i = 0; i < RetentionService.BatchSize + 5; i++)
            {
                db.PredictionLog.Add(LogEntry(id, oldLog.AddMinutes(-i)));
            }

            db.PredictionLog.Add(LogEntry(id, newLog));
            var endpoint = new WebhookEndpoint { Id = Guid.NewGuid(), Name = $"rx-{slug}", Url = "http://127.0.0.1:9/", ProtectedSecret = "x", CreatedAt = now };
            db.WebhookEndpoints.Add(endpoint);
            db.Notifications.Add(new Notification { Id = oldNotification, Kind = "t-retention", Title = "old", CreatedAt = oldNote, TenantSlug = slug });
            db.Notifications.Add(new Notification { Id = Guid.NewGuid(), Kind = "t-retention", Title = "new", CreatedAt = newNote, TenantSlug = slug });
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = Guid.NewGuid(), EndpointId = endpoint.Id, NotificationId = oldNotification, Status = DeliveryStatus.Delivered,
                Attempts = 1, CreatedAt = oldNote, NextAttemptAt = oldNote, DeliveredAt = oldNote,
            });
            foreach (var day in new[] { oldDay, newDay })
            {
                var window = new DriftWindow
                {
                    Id = Guid.NewGuid(), EnrollmentId = id, Source = "batch", Day = day, WindowStart = day, Rows = 100,
                    ModelVersionId = Guid.NewGuid(), Status = "ok", CheckedAt = now,
                };
                window.Features.Add(new DriftFeatureResult { EnrollmentId = id, Feature = "amount", Kind = "number", Status = "ok", Psi = 0.01 });
                db.DriftWindows.Add(window);
                db.PerformanceWindows.Add(new PerformanceWindow
                {
                    EnrollmentId = id, Day = day, WindowStart = day, ModelVersionId = window.ModelVersionId, Kind = PerformanceKinds.Realized,
                    Metric = "accuracy", Value = 0.9, Expected = 0.9, HigherIsBetter = true, Rows = 100, Status = "ok", CheckedAt = now,
                });
                db.SlaResults.Add(new SlaResult { EnrollmentId = id, Kind = "model-age", Day = day, Met = true, Limit = 30, Note = "ok", CheckedAt = now });
                db.PredictLatencyDays.Add(new PredictLatencyDay { EnrollmentId = id, Day = day, Node = "node-a", Count = 1, Buckets = "", UpdatedAt = now });
            }

            return db.SaveChangesAsync();
        });

        // Run logs: one run finished long ago, one just now; both wrote lines.
        var (oldRun, newRun) = (await DemoRunAsync(admin), await DemoRunAsync(admin));
        var finishedLongAgo = now.AddDays(-defaults.RunLogDays - 1);
        await App.WithDbAsync(db => db.PipelineRuns.Where(r => r.Id == oldRun)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, finishedLongAgo).SetProperty(r => r.FinishedAt, finishedLongAgo)));

        var run = await admin.StartRunAsync(HousekeepingPipelines.Name);
        var done = await admin.WaitFinishedAsync(run, TimeSpan.FromMinutes(2));

        Assert.True(done.Run.State == RunState.Succeeded, RunsClient.Describe(done));
        Assert.Equal(RetentionService.Kinds, done.Tasks.OrderBy(t => t.Order).Select(t => t.Name));
        Assert.Matches(@"^prediction-log: removed [\d,]+ rows older than 180 days", done.Task(RetentionService.PredictionLog).ProgressMessage);
        var left = await App.WithDbAsync(async db => new
        {
            Log = await db.PredictionLog.Where(e => e.EnrollmentId == id).Select(e => e.At).ToListAsync(),
            Notes = await db.Notifications.Where(n => n.Kind == "t-retention" && n.TenantSlug == slug).Select(n => n.Title).ToListAsync(),
            Deliveries = await db.WebhookDeliveries.CountAsync(d => d.NotificationId == oldNotification),
            Drift = await db.DriftWindows.Where(w => w.EnrollmentId == id).Select(w => w.Day).ToListAsync(),
            Features = await db.DriftFeatureResults.CountAsync(f => f.EnrollmentId == id),
            Performance = await db.PerformanceWindows.Where(w => w.EnrollmentId == id).Select(w => w.Day).ToListAsync(),
            Slas = await db.SlaResults.Where(w => w.EnrollmentId == id).Select(w => w.Day).ToListAsync(),
            Latency = await db.PredictLatencyDays.Where(w => w.EnrollmentId == id).Select(w => w.Day).ToListAsync(),
            OldRunLines = await db.AttemptLogLines.CountAsync(l => l.RunId == oldRun),
            NewRunLines = await db.AttemptLogLines.CountAsync(l => l.RunId == newRun),
            OldRunKept = await db.PipelineRuns.AnyAsync(r => r.Id == oldRun),
        });

        Assert.Equal([newLog], left.Log, (a, b) => Math.Abs((a - b).TotalSeconds) < 1);
        Assert.Equal(["new"], left.Notes);
        Assert.Equal(0, left.Deliveries);
        Assert.Equal([newDay], left.Drift);
        Assert.Equal(1, left.Features);
        Assert.Equal([newDay], left.Performance);
        Assert.Equal([newDay], left.Slas);
        Assert.Equal([newDay], left.Latency);
        Assert.Equal(0, left.OldRunLines);
        Assert.True(left.NewRunLines > 0, "the recent run's log was removed");
        Assert.True(left.OldRunKept, "the run itself (lineage) must stay");
    }

    [Fact]
    public async Task Zero_days_keeps_a_kind_forever()
    {
        var slug = await DatasetUploads.CreateTenantAsync(App.CreateAdminClient(), "us");
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, DatasetUploads.UseCase);
        var ancient = DateTime.UtcNow.AddYears(-20);
        await App.WithDbAsync(db =>
        {
            db.PredictionLog.Add(LogEntry(id, ancient));
            return db.SaveChangesAsync();
        });
        var keep = Microsoft.Extensions.Options.Options.Create(new ControlPlaneOptions { Retention = { PredictionLogDays = 0 } });
        var service = ActivatorUtilities.CreateInstance<RetentionService>(App.Services, keep);

        var result = await service.PurgeAsync(RetentionService.PredictionLog);

        Assert.Equal((0, (DateTime?)null, 0L), (result.Days, result.Before, result.Removed));
        Assert.Equal("prediction-log: kept forever (0 days)", result.Describe());
        Assert.Equal(1, await App.WithDbAsync(db => db.PredictionLog.CountAsync(e => e.EnrollmentId == id)));
        await Assert.ThrowsAsync<ArgumentException>(() => service.PurgeAsync("everything"));
    }

    [Fact]
    public async Task The_sweep_starts_one_housekeeping_run_and_none_while_it_is_unfinished()
    {
        var unfinished = new PipelineRun
        {
            Id = Guid.NewGuid(), Pipeline = HousekeepingPipelines.Name, State = RunState.Running, Trigger = "schedule",
            TriggeredBy = HousekeepingSweep.Actor, CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
        };
        await App.WithDbAsync(db => { db.PipelineRuns.Add(unfinished); return db.SaveChangesAsync(); });
        var sweep = App.Services.GetRequiredService<HousekeepingSweep>();

        Assert.Null(await sweep.StartRunAsync(CancellationToken.None));

        await App.WithDbAsync(db => db.PipelineRuns.Where(r => r.Id == unfinished.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RunState.Succeeded).SetProperty(r => r.FinishedAt, DateTime.UtcNow)));
        var started = await sweep.StartRunAsync(CancellationToken.None);

        Assert.NotNull(started);
        var run = await App.CreateAdminClient().WaitFinishedAsync(started.Value, TimeSpan.FromMinutes(2));
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Equal(("schedule", HousekeepingSweep.Actor), (run.Run.Trigger, run.Run.TriggeredBy));
    }

    private async Task<Guid> DemoRunAsync(HttpClient admin)
    {
        var run = await admin.StartRunAsync("demo", new Dictionary<string, string> { ["stepMs"] = "1" });
        await admin.WaitFinishedAsync(run, TimeSpan.FromMinutes(1));
        // Lines are written by a background sink: wait until they are stored.
        await Eventually.Until(() => App.WithDbAsync(db => db.AttemptLogLines.AnyAsync(l => l.RunId == run)), any => any, $"log lines of run {run}");
        return run;
    }

    private static PredictionLogEntry LogEntry(Guid enrollment, DateTime at) => new()
    {
        EnrollmentId = enrollment, Source = PredictionSources.RealTime, At = at, ModelVersionId = Guid.NewGuid(), Score = 0.5, Inputs = "{}",
    };
}

public sealed class RetentionTestsOnSqlite(AppFixture<Sqlite> fixture) : RetentionTests<Sqlite>(fixture);

public sealed class RetentionTestsOnPostgres(AppFixture<Postgres> fixture) : RetentionTests<Postgres>(fixture);
