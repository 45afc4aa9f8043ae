using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Predictions;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// Decay end to end on a real model: a lead-scoring tenant trained and batch-scored on its generated data (a fixed slug,
/// so the same data and model at every run), late labels sent through <see cref="FeedbackService"/>, and
/// <see cref="DecayChecks.CheckAsync"/> judging each day's window against the model's test accuracy.
/// </summary>
public abstract class DecayTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = DemoUseCaseKeys.LeadScoring;
    private const int Rows = 3000;
    private const int Seed = 3;
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Wrong_late_labels_for_recent_days_show_decay_on_those_days_ok_before_and_alert_once()
    {
        using var admin = App.CreateAdminClient();
        var (slug, enrollment) = await ScoredTenantAsync(admin, "decay-late-labels");
        await MonitoringRows.SetPolicyAsync(App, enrollment, new MonitoringSettings { DecayWindowDays = 30, DecayMinLabels = 50 });
        var predictions = await PredictionsAsync(enrollment);
        var last = predictions.Max(p => p.AsOf).Date;
        var cut = last.AddDays(-20);

        // True labels up to the cut, the opposite after it: the model's answers for the last 20 days are mostly wrong.
        await SendFeedbackAsync(slug, predictions, flip: p => p.AsOf >= cut);
        var result = await CheckAsync(enrollment);

        var windows = await WindowsAsync(enrollment, PerformanceKinds.Realized, "accuracy");
        Assert.Equal("decay", result.Status);
        Assert.True(result.Alerted);
        Assert.StartsWith("accuracy ", result.Note, StringComparison.Ordinal);
        Assert.Contains(" tested", result.Note, StringComparison.Ordinal);

        // Windows at least half after the cut: decay. Windows wholly before it: no decay, most of them ok.
        var after = windows.Where(w => w.Day >= cut.AddDays(15)).ToList();
        var before = windows.Where(w => w.Day < cut).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, w => Assert.Equal("decay", w.Status));
        Assert.True(before.Count > 30, $"{before.Count} windows before the cut");
        Assert.All(before, w => Assert.Contains(w.Status, new[] { "ok", "warning" }));
        Assert.True(before.Count(w => w.Status == "ok") >= before.Count * 0.8, Describe(before));
        Assert.All(windows, w => Assert.True(w.Rows >= 50 && w.Value is not null, Describe([w])));

        // The label-free estimate cannot see labels change (concept drift): it stays near the test accuracy after the cut.
        var estimated = await WindowsAsync(enrollment, PerformanceKinds.Estimated, "accuracy");
        Assert.All(estimated.Where(w => w.Day >= cut.AddDays(15)), w => Assert.NotEqual("decay", w.Status));

        // One alert when it turned to decay, none while it stays.
        var second = await CheckAsync(enrollment);
        Assert.Equal("decay", second.Status);
        Assert.False(second.Alerted);
        var alerts = await App.WithDbAsync(db => db.Notifications.Where(n => n.EnrollmentId == enrollment && n.Kind == AlertKinds.Decay).ToListAsync());
        Assert.Single(alerts);
        Assert.Contains(slug, alerts[0].Title, StringComparison.Ordinal);
        var health = await App.WithDbAsync(db => db.EnrollmentHealth.SingleAsync(h => h.EnrollmentId == enrollment));
        Assert.Equal("decay", health.Decay);
        Assert.Equal(result.Note, health.DecayNote);

        // The dashboard's series reads the same windows.
        var series = await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/performance")).ReadNodeAsync();
        Assert.Equal("accuracy", series["metric"]!.GetValue<string>());
        var days = series["days"]!.AsArray();
        Assert.Equal(windows.Count, days.Count);
        Assert.Equal("decay", days[^1]!["realizedStatus"]!.GetValue<string>());
        Assert.True(days[^1]!["alertAt"]!.GetValue<double>() < days[^1]!["expected"]!.GetValue<double>());
    }

    [Fact]
    public async Task The_label_free_estimate_tracks_realized_accuracy_without_concept_drift()
    {
        using var admin = App.CreateAdminClient();
        // The newest quarter of the rows is uploaded without labels: the served model (fitted on every labelled row) never
        // learns from them; the batch score scores them, and their labels arrive later as feedback.
        var data = RetrainTenants.Demo("decay-estimate", UseCase, Rows, Seed);
        var unlabelledFrom = data.StartUtc + (data.EndUtc - data.StartUtc) * 0.75;
        var (slug, enrollment) = await ScoredTenantAsync(admin, "decay-estimate",
            withholdLabel: (d, r) => DateTime.Parse(d.Value(r, d.EventTime.CanonicalName)!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal) >= unlabelledFrom);
        await MonitoringRows.SetPolicyAsync(App, enrollment, new MonitoringSettings { DecayWindowDays = 30, DecayMinLabels = 50 });
        var predictions = await PredictionsAsync(enrollment);
        await SendFeedbackAsync(slug, predictions, flip: _ => false);

        await CheckAsync(enrollment);

        // Only windows of rows the model did not learn from (the batch score also scored the training rows, which it
        // knows better than any estimate could say): windows wholly after the labelled rows. The probabilities were
        // calibrated on the test rows of the tested fit. Every row is labelled now, so both cover the same rows: the
        // gap is the calibration error plus the labels' noise (about √(p(1−p)/n) ≈ 0.02 for 250 rows a window).
        const double tolerance = 0.05;
        var realized = (await WindowsAsync(enrollment, PerformanceKinds.Realized, "accuracy")).ToDictionary(w => w.Day);
        var estimated = (await WindowsAsync(enrollment, PerformanceKinds.Estimated, "accuracy")).Where(w => w.WindowStart > unlabelledFrom).ToList();
        var pairs = estimated.Where(e => realized.ContainsKey(e.Day)).Select(e => (e.Day, Estimated: e.Value!.Value, Realized: realized[e.Day].Value!.Value)).ToList();
        Assert.True(pairs.Count > 20, $"{pairs.Count} days");
        Assert.All(pairs, p => Assert.True(Math.Abs(p.Estimated - p.Realized) <= tolerance,
            $"{p.Day:yyyy-MM-dd}: estimated {p.Estimated:0.000}, realized {p.Realized:0.000}"));
    }

    [Fact]
    public async Task Too_few_labels_skip_realized_performance_with_the_reason_and_the_api_names_bad_dates()
    {
        using var admin = App.CreateAdminClient();
        var (slug, enrollment) = await ScoredTenantAsync(admin, "decay-few-labels", rows: 600);
        var predictions = await PredictionsAsync(enrollment);
        var last = predictions.Max(p => p.AsOf).Date;
        await SendFeedbackAsync(slug, predictions.Where(p => p.AsOf >= last.AddDays(-6)).Take(10).ToList(), flip: _ => false, rows: 600);

        var result = await CheckAsync(enrollment);

        var realized = await WindowsAsync(enrollment, PerformanceKinds.Realized, "accuracy");
        var newest = realized.Single(w => w.Day == last);
        Assert.Equal("skipped", newest.Status);
        Assert.Null(newest.Value);
        Assert.Matches(@"^\d+ labelled predictions? in the window; at least 50 are needed$", newest.Reason);
        Assert.Contains(realized, w => w.Status == "no_data" && w.Reason!.StartsWith("no labels yet", StringComparison.Ordinal));
        Assert.DoesNotContain(realized, w => w.Status is "ok" or "warning" or "decay");
        // 600 rows over a year are too few scored rows a week for the estimate too: the health says why there is no verdict.
        Assert.Equal("no_data", result.Status);
        Assert.Equal(newest.Reason, result.Note);

        var url = $"/api/v1/tenants/{slug}/use-cases/{UseCase}/performance";
        var ok = await (await admin.GetAsync($"{url}?from={last.AddDays(-2):yyyy-MM-dd}&to={last:yyyy-MM-dd}")).ReadNodeAsync();
        Assert.Equal(3, ok["days"]!.AsArray().Count);
        Assert.False(ok["hasLabels"]!.GetValue<bool>());
        var bad = await admin.GetAsync($"{url}?from=yesterday&to=2026-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["from", "to"], (await bad.ReadNodeAsync())["errors"]!.AsObject().Select(e => e.Key).Order());
        var backwards = await admin.GetAsync($"{url}?from=2026-03-01&to=2026-02-01");
        Assert.Contains("to", (await backwards.ReadNodeAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/churn-risk/performance")).StatusCode);
        using var anonymous = App.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
    }

    private sealed record Scored(string EntityKey, DateTime AsOf);

    private async Task<(string Slug, Guid Enrollment)> ScoredTenantAsync(HttpClient admin, string slug, int rows = Rows, Func<DemoDataset, int, bool>? withholdLabel = null)
    {
        slug = await RetrainTenants.CreateAsync(App, admin, UseCase, "us", rows: rows, seed: Seed, slug: slug, withholdLabel: withholdLabel);
        await RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        await RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", JsonContent.Create(new { }));
        var enrollment = await App.WithDbAsync(db => db.Enrollments.Where(e => e.Tenant!.Slug == slug).Select(e => e.Id).SingleAsync());
        return (slug, enrollment);
    }

    private static async Task RunAsync(HttpClient admin, string url, HttpContent? body)
    {
        var response = await admin.PostAsync(url, body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var run = await admin.WaitFinishedAsync((await response.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(3));
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
    }

    private Task<List<Scored>> PredictionsAsync(Guid enrollment) => App.WithDbAsync(db =>
        db.Predictions.Where(p => db.PredictionPartitions.Any(x => x.Id == p.PartitionId && x.EnrollmentId == enrollment && x.State == PartitionStates.Done))
            .Select(p => new Scored(p.EntityKey!, p.AsOf)).ToListAsync());

    /// <summary>Each prediction's true label from the generated data (or its opposite where <paramref name="flip"/> says), an hour after it.</summary>
    private async Task SendFeedbackAsync(string slug, IReadOnlyList<Scored> predictions, Func<Scored, bool> flip, int rows = Rows)
    {
        var data = RetrainTenants.Demo(slug, UseCase, rows, Seed);
        var keyColumn = data.EntityKey.CanonicalName;
        var labelColumn = data.Label.CanonicalName;
        var truth = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < data.RowCount; i++)
        {
            if (data.Value(i, keyColumn) is { } key && data.Value(i, labelColumn) is { } label)
            {
                truth[key] = label.ToLowerInvariant() is "true" or "1" or "yes" or "y";
            }
        }

        var feedback = App.Services.GetRequiredService<FeedbackService>();
        foreach (var chunk in predictions.Where(p => truth.ContainsKey(p.EntityKey)).Chunk(1000))
        {
            var body = JsonSerializer.SerializeToElement(new
            {
                outcomes = chunk.Select(p => new { entityKey = p.EntityKey, label = truth[p.EntityKey] != flip(p), occurredAt = p.AsOf.AddHours(1).ToString("O") }),
            });
            var recorded = await feedback.RecordAsync(slug, UseCase, body);
            Assert.True(recorded.IsOk, recorded.Message);
        }
    }

    private Task<DecayCheckResult> CheckAsync(Guid enrollment) => App.Services.GetRequiredService<DecayChecks>().CheckAsync(enrollment);

    private Task<List<PerformanceWindow>> WindowsAsync(Guid enrollment, string kind, string metric) => App.WithDbAsync(db =>
        db.PerformanceWindows.Where(w => w.EnrollmentId == enrollment && w.Kind == kind && w.Metric == metric).OrderBy(w => w.Day).ToListAsync());

    private static string Describe(IEnumerable<PerformanceWindow> windows) =>
        string.Join("; ", windows.Select(w => $"{w.Day:yyyy-MM-dd} {w.Status} {w.Value:0.000} vs {w.Expected:0.000} ({w.Rows} rows) {w.Reason}"));
}

public sealed class DecayTestsOnSqlite(RetrainFixture<Sqlite> fixture) : DecayTests<Sqlite>(fixture);

public sealed class DecayTestsOnPostgres(RetrainFixture<Postgres> fixture) : DecayTests<Postgres>(fixture);
