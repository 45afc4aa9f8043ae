using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.Health;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// A use case whose model reads a date-time (the event time itself), trained on eight weeks and scored on rows from
/// weeks later: the time gives no drift — the calendar parts are compared over windows spanning their cycle, never the raw
/// time, its elapsed days or its year — and the verdict is never drift; the same stream with one number shifted drifts,
/// and the shifted feature is named.
/// </summary>
public abstract class TimeAxisDriftTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = DatasetUploads.UseCase;
    private static readonly DateTime Start = new(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc); // a Monday
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Scored_weeks_after_training_the_time_gives_no_drift_and_a_shifted_feature_still_drifts()
    {
        using var admin = App.CreateAdminClient();
        var steady = await TrainedAsync(admin);
        var shifted = await TrainedAsync(admin);

        await ScoreAsync(admin, steady, seatsShift: 0);
        await ScoreAsync(admin, shifted, seatsShift: 30);

        var calm = await DriftAsync(admin, steady);
        var windows = calm["windows"]!.AsArray();
        Assert.True(windows.Count >= 8, calm.ToJsonString());
        Assert.All(windows, w => Assert.True(DateOnly.Parse(w!["day"]!.GetValue<string>(), CultureInfo.InvariantCulture) >= DateOnly.FromDateTime(Start.AddDays(70))));
        Assert.True(windows.All(w => w!["status"]!.GetValue<string>() != "drift"), $"windows {string.Join(", ", windows.Select(w => $"{w!["day"]} {w["status"]} prediction {w["predictionStatus"]}"))}; prediction {calm["prediction"]?["reason"]}; features {string.Join("; ", calm["features"]!.AsArray().Select(f => $"{f!["feature"]} {f["status"]} {f["reason"]}"))}");
        var monitored = calm["features"]!.AsArray().Select(f => f!["feature"]!.GetValue<string>()).ToList();
        Assert.Contains("opened.timeOfDay", monitored);
        Assert.Contains("opened.dayOfWeek", monitored);
        Assert.DoesNotContain("opened", monitored);
        Assert.DoesNotContain("opened.elapsed", monitored);
        Assert.DoesNotContain("opened.year", monitored);
        Assert.DoesNotContain("opened.month", monitored); // a week's window holds part of a year's cycle
        var part = calm["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == "opened.dayOfWeek")!;
        Assert.Equal("feature 'opened' (date-time, column 'Opened At'): day of week (Monday 1)", part["rule"]!.GetValue<string>());
        Assert.NotEqual("drift", part["status"]!.GetValue<string>());
        Assert.All(calm["features"]!.AsArray(), f => Assert.Equal("ok", f!["status"]!.GetValue<string>()));
        // The model reads the time (its elapsed days and year, by default), so its output may move while no input does:
        // at most watch, naming the predictions — never drift.
        var verdict = await VerdictAsync(steady);
        Assert.Contains(verdict, new[] { Verdicts.Healthy, Verdicts.Watch });

        var moved = await DriftAsync(admin, shifted);
        var seats = moved["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == "seats")!;
        Assert.Equal("drift", seats["status"]!.GetValue<string>());
        Assert.Equal("seats", moved["features"]!.AsArray()[0]!["feature"]!.GetValue<string>());
        Assert.Equal(Verdicts.Drift, await VerdictAsync(shifted));
        Assert.NotEqual("drift", moved["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == "opened.dayOfWeek")!["status"]!.GetValue<string>());
    }

    /// <summary>Eight weeks of tickets (20 a day, opened through the day), the model reading the opening time and the seats.</summary>
    private async Task<string> TrainedAsync(HttpClient admin)
    {
        var slug = TestSlugs.New("timeaxis");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Time axis {slug}", slug, region = "us", useCases = new[] { UseCase } })).EnsureSuccessStatusCode();
        await RetrainTenants.AddUploadAsync(App, slug, UseCase, "history.csv", Csv(0, 56, seatsShift: 0));
        var churn = Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        await RetrainTenants.SaveRulesAsync(App, slug, UseCase, new RuleSet
        {
            EntityKey = "Account", EventTime = "Opened At", Label = new LabelRule { Source = "Churned" },
            Features = [new FeatureRule { Name = "seats", Source = "Seats" }, new FeatureRule { Name = "opened", Source = "Opened At", Type = FeatureType.DateTime }],
            Drop = churn.DefaultFeatures.Select(f => f.Name).Where(n => n != "seats").ToArray(),
        });
        await MonitoringRows.SetPolicyAsync(App, await MonitoringRows.EnrollmentIdAsync(App, slug, UseCase), MonitoringSettings.Defaults with { MinRows = 140 });
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        return slug;
    }

    /// <summary>Weeks 11–13 (days 70–90) uploaded as the newest dataset version and batch scored: a 140-row minimum makes week-long windows.</summary>
    private async Task ScoreAsync(HttpClient admin, string slug, int seatsShift)
    {
        var upload = await DatasetUploads.UploadAsync(admin, slug, Csv(70, 21, seatsShift), "later.csv");
        Assert.True(upload.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await upload.Content.ReadAsStringAsync());
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", new { });
    }

    private static byte[] Csv(int firstDay, int days, int seatsShift)
    {
        var csv = new StringBuilder("Account,Opened At,Churned,Seats\n");
        for (var day = firstDay; day < firstDay + days; day++)
        {
            for (var i = 0; i < 20; i++)
            {
                var row = (day * 20) + i;
                var seats = (row * 17 % 40) + 1 + seatsShift;
                // The outcome depends on the seats and on chance, never on the time: a model may read the time, but learns nothing from it.
                var churned = new Random(row).NextDouble() < 0.15 + (0.5 * Math.Min(seats, 40) / 40) ? "yes" : "no";
                csv.Append(CultureInfo.InvariantCulture, $"a{row},{Start.AddDays(day).AddMinutes(7 + (i * 71)):yyyy-MM-ddTHH:mm:ssZ},{churned},{seats}\n");
            }
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private Task<string?> VerdictAsync(string slug) => App.WithDbAsync(db => db.EnrollmentHealth
        .Where(h => h.EnrollmentId == db.Enrollments.Single(e => e.Tenant!.Slug == slug).Id).Select(h => h.Verdict).SingleAsync());

    private static Task<JsonNode> DriftAsync(HttpClient admin, string slug) => MonitoringRows.DriftAsync(admin, slug, UseCase);
}

public sealed class TimeAxisDriftTestsOnSqlite(RetrainFixture<Sqlite> fixture) : TimeAxisDriftTests<Sqlite>(fixture);

public sealed class TimeAxisDriftTestsOnPostgres(RetrainFixture<Postgres> fixture) : TimeAxisDriftTests<Postgres>(fixture);
