using System.Net;
using System.Text;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>An enrollment's monitoring policy through the API: the defaults, a saved policy, and every bad field named with nothing stored.</summary>
public abstract class MonitoringSettingsApiTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task The_policy_starts_at_the_defaults_and_a_saved_one_is_read_back()
    {
        var slug = await EnrolledTenantAsync();
        using var admin = App.CreateAdminClient();
        var url = $"/api/v1/tenants/{slug}/use-cases/churn-risk/monitoring";

        var defaults = await (await admin.GetAsync(url)).ReadNodeAsync();
        Assert.True(defaults["isDefault"]!.GetValue<bool>());
        Assert.Equal(0.1, defaults["settings"]!["psiWarning"]!.GetValue<double>());
        Assert.Equal(0.2, defaults["settings"]!["psiDrift"]!.GetValue<double>());

        var saved = await PutAsync(admin, url, """{"psiWarning": 0.15, "psiDrift": 0.3, "batchDeadlineUtc": "06:30", "maxModelAgeDays": null, "retrainOnDrift": true}""");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var read = await (await admin.GetAsync(url)).ReadNodeAsync();
        Assert.False(read["isDefault"]!.GetValue<bool>());
        Assert.Equal(0.3, read["settings"]!["psiDrift"]!.GetValue<double>());
        Assert.Equal("06:30", read["settings"]!["batchDeadlineUtc"]!.GetValue<string>());
        Assert.Null(read["settings"]!["maxModelAgeDays"]);
        Assert.True(read["settings"]!["retrainOnDrift"]!.GetValue<bool>());
        Assert.Equal(0.01, read["settings"]!["pValue"]!.GetValue<double>()); // omitted: the default
        Assert.Equal(390, await App.WithDbAsync(db => db.EnrollmentMonitoring
            .Where(m => db.Enrollments.Any(e => e.Id == m.EnrollmentId && e.Tenant!.Slug == slug)).Select(m => m.BatchDeadlineMinutes).SingleAsync()));
    }

    [Fact]
    public async Task Malformed_thresholds_are_refused_naming_each_field_and_nothing_is_stored()
    {
        var slug = await EnrolledTenantAsync();
        using var admin = App.CreateAdminClient();
        var url = $"/api/v1/tenants/{slug}/use-cases/churn-risk/monitoring";

        var wrongTypes = await PutAsync(admin, url, """{"psiWarning": "high", "minRows": 10.5, "retrainOnDrift": "yes", "psiDrfit": 0.2}""");
        Assert.Equal(HttpStatusCode.BadRequest, wrongTypes.StatusCode);
        var problem = await wrongTypes.ReadNodeAsync();
        Assert.Contains(problem.FieldErrors("psiWarning"), m => m.Contains("must be a number", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("minRows"), m => m.Contains("whole number", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("retrainOnDrift"), m => m.Contains("true or false", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("psiDrfit"), m => m.Contains("is not a monitoring setting", StringComparison.Ordinal));

        var outOfRange = await PutAsync(admin, url, """{"psiWarning": 0.3, "psiDrift": 0.2, "pValue": 1.5, "batchDeadlineUtc": "25:00", "decayAlert": 0.01}""");
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        problem = await outOfRange.ReadNodeAsync();
        Assert.Contains(problem.FieldErrors("psiDrift"), m => m.Contains("greater than psiWarning", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("pValue"), m => m.Contains("between 0 and 1", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("batchDeadlineUtc"), m => m.Contains("HH:mm", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("decayAlert"), m => m.Contains("greater than decayWarning", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(admin, url, "[1, 2]")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(admin, url, "{\"psiWarning\": ")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(admin, $"/api/v1/tenants/{slug}/use-cases/lead-scoring/monitoring", "{}")).StatusCode);
        Assert.False(await App.WithDbAsync(db => db.EnrollmentMonitoring.AnyAsync(m => db.Enrollments.Any(e => e.Id == m.EnrollmentId && e.Tenant!.Slug == slug))));
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.CreateAnonymousClient().GetAsync(url)).StatusCode);
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, string json) =>
        client.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<string> EnrolledTenantAsync()
    {
        var slug = TestSlugs.New("mon");
        using var admin = App.CreateAdminClient();
        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = "Monitored", slug, region = "us", useCases = new[] { "churn-risk" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return slug;
    }
}

public sealed class MonitoringSettingsApiTestsOnSqlite(AppFixture<Sqlite> fixture) : MonitoringSettingsApiTests<Sqlite>(fixture);

public sealed class MonitoringSettingsApiTestsOnPostgres(AppFixture<Postgres> fixture) : MonitoringSettingsApiTests<Postgres>(fixture);
