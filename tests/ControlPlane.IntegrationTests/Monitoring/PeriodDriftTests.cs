using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// Any two periods (issue 17 point 5): a model trained on eight weeks, then one batch score of a dataset holding an old
/// stretch (days 70–83, which no drift check reaches: they lie more than 90 days before the newest) and a recent one
/// (days 300–320, the seats shifted in the last week). The old days are counted on demand; two steady periods compare
/// as ok, the shifted week drifts on seats against the old period and against training, and empty or wrong requests
/// say why.
/// </summary>
public abstract class PeriodDriftTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = DatasetUploads.UseCase;
    private static readonly DateTime Start = new(2025, 1, 6, 0, 0, 0, DateTimeKind.Utc); // a Monday
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Any_two_periods_compare_however_old_and_an_empty_or_wrong_request_says_why()
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("periods");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Periods {slug}", slug, region = "us", useCases = new[] { UseCase } })).EnsureSuccessStatusCode();
        await RetrainTenants.AddUploadAsync(App, slug, UseCase, "history.csv", Csv((0, 56, 0)));
        var churn = Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        await RetrainTenants.SaveRulesAsync(App, slug, UseCase, new RuleSet
        {
            EntityKey = "Account", EventTime = "Opened At", Label = new LabelRule { Source = "Churned" },
            Features = [new FeatureRule { Name = "seats", Source = "Seats" }, new FeatureRule { Name = "plan", Source = "Plan" }],
            Drop = churn.DefaultFeatures.Select(f => f.Name).Where(n => n is not ("seats" or "plan")).ToArray(),
        });
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        var upload = await DatasetUploads.UploadAsync(admin, slug, Csv((70, 14, 0), (300, 14, 0), (314, 7, 30)), "later.csv");
        Assert.True(upload.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await upload.Content.ReadAsStringAsync());
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", new { });

        var enrollment = await MonitoringRows.EnrollmentIdAsync(App, slug, UseCase);
        Task<int> CountedDaysAsync(int from, int to) => App.WithDbAsync(db => db.DriftDayCounts
            .Where(d => d.EnrollmentId == enrollment && d.Day >= Start.AddDays(from) && d.Day <= Start.AddDays(to)).Select(d => d.Day).Distinct().CountAsync());
        // The check counted the recent days it read, not the old stretch.
        Assert.Equal(21, await CountedDaysAsync(300, 320));
        Assert.Equal(0, await CountedDaysAsync(70, 83));

        // The old stretch against the first recent fortnight: the same distributions, counted on demand.
        var steady = await CompareAsync(admin, slug, Range(70, 83), Range(300, 313));
        Assert.Null(steady["empty"]?.GetValue<string>());
        Assert.Equal(14, await CountedDaysAsync(70, 83));
        Assert.Equal((14, 280L), (steady["reference"]!["days"]!.GetValue<int>(), steady["reference"]!["rows"]!.GetValue<long>()));
        Assert.Equal((14, 280L), (steady["analysis"]!["days"]!.GetValue<int>(), steady["analysis"]!["rows"]!.GetValue<long>()));
        var steadyFeatures = Features(steady);
        Assert.Equal("ok", steadyFeatures["seats"]["status"]!.GetValue<string>());
        Assert.Equal("ok", steadyFeatures["plan"]["status"]!.GetValue<string>());
        Assert.NotEqual("drift", steady["status"]!.GetValue<string>());
        Assert.Equal("ks", steadyFeatures["seats"]["test"]!.GetValue<string>());
        Assert.Equal("chi-square", steadyFeatures["plan"]["test"]!.GetValue<string>());

        // The shifted week against the old stretch, and against training: seats drifts, with its interval, and comes first.
        foreach (var reference in new[] { Range(70, 83), null })
        {
            var shifted = await CompareAsync(admin, slug, reference, Range(314, 320));
            var features = Features(shifted);
            var seats = features["seats"];
            Assert.Equal("drift", seats["status"]!.GetValue<string>());
            Assert.True(seats["psiLow"]!.GetValue<double>() > 0.1 && seats["psiLow"]!.GetValue<double>() <= seats["psi"]!.GetValue<double>(), seats.ToJsonString());
            Assert.Equal("seats", shifted["features"]!.AsArray()[0]!["feature"]!.GetValue<string>());
            Assert.Equal("ok", features["plan"]["status"]!.GetValue<string>());
            Assert.Equal(seats["bins"]!.AsArray().Count, seats["referenceShares"]!.AsArray().Count);
            Assert.Equal(reference is null ? "training of own v1" : "2025-03-17 to 2025-03-30", shifted["reference"]!["label"]!.GetValue<string>());
        }

        // Nothing scored there: an empty answer that says so and where the rows are.
        var nothing = await CompareAsync(admin, slug, null, "analysisFrom=2024-01-01&analysisTo=2024-01-31");
        Assert.Equal("no_data", nothing["status"]!.GetValue<string>());
        Assert.Empty(nothing["features"]!.AsArray());
        var why = nothing["empty"]!.GetValue<string>();
        Assert.Contains("Nothing was batch-scored", why, StringComparison.Ordinal);
        Assert.Contains("2024-01-01 to 2024-01-31", why, StringComparison.Ordinal);
        Assert.Contains("from 2025-03-17 to 2025-11-22", why, StringComparison.Ordinal);

        // Real-time rows beyond the log's retention: it says so.
        var old = await CompareAsync(admin, slug, null, "analysisFrom=2020-01-01&analysisTo=2020-01-31", "realtime");
        Assert.Contains("beyond the prediction log's retention", old["empty"]!.GetValue<string>(), StringComparison.Ordinal);

        // The stored windows of an old month: none, and why.
        var drift = await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/drift?from=2025-03-01&to=2025-03-31")).ReadNodeAsync();
        Assert.Empty(drift["windows"]!.AsArray());
        Assert.Contains("drift/compare", drift["empty"]!.GetValue<string>(), StringComparison.Ordinal);

        // Wrong requests: problem details naming the field.
        async Task<JsonNode> ProblemAsync(string query)
        {
            var response = await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/drift/compare?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.ReadNodeAsync())["errors"]!;
        }

        Assert.Contains("before it starts", (await ProblemAsync("analysisFrom=2025-02-01&analysisTo=2025-01-01"))["analysis"]![0]!.GetValue<string>());
        Assert.Contains("at most 366", (await ProblemAsync("analysisFrom=2023-01-01&analysisTo=2025-01-01"))["analysis"]![0]!.GetValue<string>());
        Assert.Contains("analysisFrom and analysisTo", (await ProblemAsync("referenceFrom=2025-01-01&referenceTo=2025-01-02"))["analysisFrom"]![0]!.GetValue<string>());
        Assert.Contains("or neither", (await ProblemAsync("analysisFrom=2025-01-01&analysisTo=2025-01-02&referenceFrom=2025-01-01"))["referenceFrom"]![0]!.GetValue<string>());
        Assert.Contains("yyyy-MM-dd", (await ProblemAsync("analysisFrom=Jan&analysisTo=2025-01-02"))["analysisFrom"]![0]!.GetValue<string>());
        Assert.Contains("not a source", (await ProblemAsync("analysisFrom=2025-01-01&analysisTo=2025-01-02&source=hourly"))["source"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/tenants/{slug}-x/use-cases/{UseCase}/drift/compare?analysisFrom=2025-01-01&analysisTo=2025-01-02")).StatusCode);
    }

    private static string Range(int from, int to) =>
        string.Create(CultureInfo.InvariantCulture, $"{Start.AddDays(from):yyyy-MM-dd}&{Start.AddDays(to):yyyy-MM-dd}");

    private static async Task<JsonNode> CompareAsync(HttpClient admin, string slug, string? reference, string analysis, string source = "batch")
    {
        static string Part(string name, string range) => range.Contains('=', StringComparison.Ordinal)
            ? range
            : $"{name}From={range.Split('&')[0]}&{name}To={range.Split('&')[1]}";
        var query = $"source={source}&{Part("analysis", analysis)}" + (reference is null ? "" : $"&{Part("reference", reference)}");
        var response = await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/drift/compare?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadNodeAsync();
    }

    private static Dictionary<string, JsonNode> Features(JsonNode comparison) =>
        comparison["features"]!.AsArray().ToDictionary(f => f!["feature"]!.GetValue<string>(), f => f!);

    /// <summary>20 accounts a day through the day: seats (shifted by the given amount) and a plan, the outcome depending on the seats.</summary>
    private static byte[] Csv(params (int FirstDay, int Days, int SeatsShift)[] stretches)
    {
        var csv = new StringBuilder("Account,Opened At,Churned,Seats,Plan\n");
        foreach (var (firstDay, days, shift) in stretches)
        {
            for (var day = firstDay; day < firstDay + days; day++)
            {
                for (var i = 0; i < 20; i++)
                {
                    var row = (day * 20) + i;
                    var seats = (row * 17 % 40) + 1 + shift;
                    var plan = (row * 7 % 3) switch { 0 => "basic", 1 => "pro", _ => "team" };
                    var churned = new Random(row).NextDouble() < 0.15 + (0.5 * Math.Min(seats, 40) / 40) ? "yes" : "no";
                    csv.Append(CultureInfo.InvariantCulture, $"a{row},{Start.AddDays(day).AddMinutes(7 + (i * 71)):yyyy-MM-ddTHH:mm:ssZ},{churned},{seats},{plan}\n");
                }
            }
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}

public sealed class PeriodDriftTestsOnSqlite(RetrainFixture<Sqlite> fixture) : PeriodDriftTests<Sqlite>(fixture);

public sealed class PeriodDriftTestsOnPostgres(RetrainFixture<Postgres> fixture) : PeriodDriftTests<Postgres>(fixture);
