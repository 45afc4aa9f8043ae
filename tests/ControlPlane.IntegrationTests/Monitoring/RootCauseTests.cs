using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// The root-cause panel (issue 17 point 6) names each injected cause: a drifting input with its rule, then in turn a
/// dataset whose columns changed and that came from another source, a rules version, a fleet-wide shift of the use case, too few labels, and a new
/// champion — each ranked where an analyst would look first — through GET …/causes and in the drift alert; a healthy
/// enrollment has none.
/// </summary>
public abstract class RootCauseTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = DatasetUploads.UseCase;
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Each_injected_cause_is_named_with_its_evidence_and_ranked()
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("causes");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Causes {slug}", slug, region = "us", useCases = new[] { UseCase } })).EnsureSuccessStatusCode();
        await RetrainTenants.AddUploadAsync(App, slug, UseCase, "history.csv", Csv(withPlan: true));
        var churn = Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        var rules = new RuleSet
        {
            EntityKey = "Account", EventTime = "Opened At", Label = new LabelRule { Source = "Churned" },
            Features = [new FeatureRule { Name = "seats", Source = "Seats" }],
            Drop = churn.DefaultFeatures.Select(f => f.Name).Where(n => n != "seats").ToArray(),
        };
        await RetrainTenants.SaveRulesAsync(App, slug, UseCase, rules);
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        var target = await App.WithDbAsync(db => db.Enrollments.Where(e => e.Tenant!.Slug == slug)
            .Select(e => new DriftTarget(e.Id, slug, UseCase, e.UseCaseId, "us", TaskType.Binary)).SingleAsync());
        var updater = App.Services.GetRequiredService<DriftHealthUpdater>();

        // 1. Two windows in a row where seats drifts: the input is named with its rule, and the drift alert says so.
        await WindowAsync(target, 2, "drift");
        await WindowAsync(target, 3, "drift");
        await updater.UpdateAsync(target, CancellationToken.None);
        var causes = await CausesAsync(admin, slug);
        Assert.Equal("drift", causes["verdict"]!.GetValue<string>());
        var first = Top(causes);
        Assert.Equal(("feature-drift", "seats drifts: PSI 0.41 (90% interval 0.30–0.52)"), (first["kind"]!.GetValue<string>(), first["title"]!.GetValue<string>()));
        Assert.StartsWith("From feature 'seats' (number, column 'Seats').", first["evidence"]!.GetValue<string>(), StringComparison.Ordinal);
        var alert = await App.WithDbAsync(db => db.Notifications.AsNoTracking().SingleAsync(n => n.EnrollmentId == target.EnrollmentId && n.Kind == AlertKinds.Drift));
        Assert.Contains("Likely cause: seats drifts: PSI 0.41", alert.Message, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"feature-drift\"", alert.DataJson, StringComparison.Ordinal);

        // 2. A new dataset version without Plan and with Region: the schema change comes first, naming both.
        var upload = await DatasetUploads.UploadAsync(admin, slug, Csv(withPlan: false), "new-export.csv");
        Assert.True(upload.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await upload.Content.ReadAsStringAsync());
        first = Top(await CausesAsync(admin, slug));
        Assert.Equal(("schema-change", "Columns changed in dataset v2"), (first["kind"]!.GetValue<string>(), first["title"]!.GetValue<string>()));
        Assert.Contains("added: Region; removed: Plan", first["evidence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"/tenants/{slug}/use-cases/{UseCase}", first["link"]!.GetValue<string>());

        // The same version as pulled by a SQL source (as a source switched from uploads would store it): the source change is named too.
        await App.WithDbAsync(db => db.DatasetVersions.Where(v => v.EnrollmentId == target.EnrollmentId && v.Number == 2)
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.SourceKind, Core.Datasets.DatasetSourceKinds.Sql)));
        var source = (await CausesAsync(admin, slug))["causes"]!.AsArray().Single(c => c!["kind"]!.GetValue<string>() == "source-change")!;
        Assert.Equal("Data comes from sql since dataset v2 (was upload)", source["title"]!.GetValue<string>());

        // 3. Rules saved since the champion's: named, after the schema change.
        await RetrainTenants.SaveRulesAsync(App, slug, UseCase, rules with { Features = [.. rules.Features, new FeatureRule { Name = "region", Source = "Region" }] });
        var all = (await CausesAsync(admin, slug))["causes"]!.AsArray();
        var saved = all.Single(c => c!["kind"]!.GetValue<string>() == "rules-change")!;
        Assert.StartsWith("Rules v2 saved ", saved["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("trained with v1", saved["evidence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(Index(all, "schema-change") < Index(all, "rules-change"));

        // 4. The use case drifts on seats fleet-wide: that explains it best.
        await App.Services.GetRequiredService<AlertService>().RaiseAsync(new AlertRequest(AlertKinds.Drift, AlertSeverity.Warning,
            "Fleet drift: 12 of 60 tenants of churn-risk drift on seats", "12 of 60 tenants drift on seats since Monday 2026-11-02 — likely an upstream change.",
            Key: AlertKeys.FleetDrift(target.UseCaseId, "seats"), UseCase: UseCase));
        first = Top(await CausesAsync(admin, slug));
        Assert.Equal(("fleet-shift", "Fleet-wide shift: 12 of 60 tenants of churn-risk drift on seats"), (first["kind"]!.GetValue<string>(), first["title"]!.GetValue<string>()));
        Assert.Equal($"/use-cases/{UseCase}/monitoring", first["link"]!.GetValue<string>());

        // 5. The newest realized window has 3 labels where 50 are needed.
        await App.WithDbAsync(db =>
        {
            db.PerformanceWindows.Add(new PerformanceWindow
            {
                EnrollmentId = target.EnrollmentId, Day = new DateTime(2026, 11, 3, 0, 0, 0, DateTimeKind.Utc), WindowStart = new DateTime(2026, 10, 28, 0, 0, 0, DateTimeKind.Utc),
                ModelVersionId = Guid.NewGuid(), Kind = PerformanceKinds.Realized, Metric = "auc", Expected = 0.8, HigherIsBetter = true, Rows = 3, Status = "skipped",
                CheckedAt = DateTime.UtcNow,
            });
            return db.SaveChangesAsync();
        });
        var labels = (await CausesAsync(admin, slug))["causes"]!.AsArray().Single(c => c!["kind"]!.GetValue<string>() == "labels")!;
        Assert.Equal("Too few labels: 3 in the newest window", labels["title"]!.GetValue<string>());
        Assert.Contains("needs 50", labels["evidence"]!.GetValue<string>(), StringComparison.Ordinal);

        // 6. A new champion: trained on dataset v2 (so its columns are no longer a change), promoted by the gate or else by hand.
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        var byGate = await App.WithDbAsync(db => db.ModelAliases.AnyAsync(a => a.EnrollmentId == target.EnrollmentId && a.Name == "champion" && a.ModelVersion!.Number == 2));
        if (!byGate)
        {
            var promote = await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/models/2/promote", new { alias = "champion", reason = "new export" });
            Assert.True(promote.IsSuccessStatusCode, await promote.Content.ReadAsStringAsync());
        }

        all = (await CausesAsync(admin, slug))["causes"]!.AsArray();
        var model = all.Single(c => c!["kind"]!.GetValue<string>() == "model-change")!;
        Assert.StartsWith("v2 became champion ", model["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith("(was v1)", model["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(byGate ? "Promoted by the gate" : "new export", model["evidence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(all, c => c!["kind"]!.GetValue<string>() == "schema-change");
        Assert.True(Index(all, "model-change") < Index(all, "feature-drift"));

        // Healthy again: nothing to explain.
        await WindowAsync(target, 4, "ok");
        await updater.UpdateAsync(target, CancellationToken.None);
        var healthy = await CausesAsync(admin, slug);
        Assert.Equal("healthy", healthy["verdict"]!.GetValue<string>());
        Assert.Empty(healthy["causes"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/tenants/{slug}-x/use-cases/{UseCase}/causes")).StatusCode);
    }

    private static async Task<JsonNode> CausesAsync(HttpClient admin, string slug)
    {
        var response = await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/causes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadNodeAsync();
    }

    private static JsonNode Top(JsonNode causes) => causes["causes"]!.AsArray()[0]!;

    private static int Index(JsonArray causes, string kind) => causes.Select((c, i) => (c, i)).First(x => x.c!["kind"]!.GetValue<string>() == kind).i;

    private Task WindowAsync(DriftTarget target, int day, string status) => MonitoringRows.WindowAsync(App, target.EnrollmentId, day, new DriftFeatureResult
    {
        Feature = "seats", Kind = "number", Status = status, Psi = status == "ok" ? 0.01 : 0.41, PsiLow = status == "ok" ? 0 : 0.30,
        PsiHigh = status == "ok" ? 0.03 : 0.52, Test = "ks", Rule = "feature 'seats' (number, column 'Seats')",
        Reason = status == "ok" ? null : "PSI 0.410 (90% interval 0.300–0.520) of the distribution is above 0.2",
    });

    /// <summary>400 accounts: seats and the outcome, with a plan column or, instead, a region.</summary>
    private static byte[] Csv(bool withPlan)
    {
        var csv = new StringBuilder(withPlan ? "Account,Opened At,Churned,Seats,Plan\n" : "Account,Opened At,Churned,Seats,Region\n");
        for (var row = 0; row < 400; row++)
        {
            var seats = (row * 17 % 40) + 1;
            var churned = new Random(row).NextDouble() < 0.15 + (0.5 * seats / 40) ? "yes" : "no";
            csv.Append(CultureInfo.InvariantCulture, $"a{row},{new DateTime(2026, 9, 1).AddHours(row * 5):yyyy-MM-ddTHH:mm:ssZ},{churned},{seats},{(withPlan ? (row % 3 == 0 ? "basic" : "pro") : (row % 2 == 0 ? "eu" : "us"))}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}

public sealed class RootCauseTestsOnSqlite(RetrainFixture<Sqlite> fixture) : RootCauseTests<Sqlite>(fixture);

public sealed class RootCauseTestsOnPostgres(RetrainFixture<Postgres> fixture) : RootCauseTests<Postgres>(fixture);
