using System.Net;
using ControlPlane.Core.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Schedules;

public abstract class SchedulesApiTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Bad_schedules_are_refused_field_by_field_and_nothing_is_stored()
    {
        var slug = await EnrolledTenantAsync();
        using var admin = App.CreateAdminClient();

        var response = await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/churn-risk/schedules",
            new { pipeline = "no-such-pipeline", cron = "at noon", timeZone = "Mars/Olympus" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadNodeAsync();
        Assert.Contains(problem.FieldErrors("Pipeline"), m => m.Contains("'no-such-pipeline' is not defined", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("Cron"), m => m.Contains("'at noon' is invalid", StringComparison.Ordinal));
        Assert.Contains(problem.FieldErrors("TimeZone"), m => m.Contains("'Mars/Olympus' is unknown", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound,
            (await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/lead-scoring/schedules", new { pipeline = "demo", cron = "0 3 * * *" })).StatusCode);
        Assert.False(await App.WithDbAsync(db => db.PipelineSchedules.AnyAsync(s => s.TenantSlug == slug)));
    }

    [Fact]
    public async Task A_schedule_starts_runs_until_paused_and_again_when_resumed()
    {
        var slug = await EnrolledTenantAsync();
        using var admin = App.CreateAdminClient();
        var created = await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/churn-risk/schedules",
            new { pipeline = "demo", cron = "* * * * * ?", timeZone = "Europe/Berlin" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.Conflict,
            (await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/churn-risk/schedules", new { pipeline = "demo", cron = "0 3 * * *" })).StatusCode);

        await Eventually.TrueAsync(async () => await ScheduledRunsAsync(slug) >= 2, "two scheduled runs");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/schedules/{id}/pause", null)).StatusCode);
        await Task.Delay(1500); // a firing already in flight may still land
        var paused = await ScheduledRunsAsync(slug);
        await Task.Delay(3000);
        Assert.Equal(paused, await ScheduledRunsAsync(slug));

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/schedules/{id}/resume", null)).StatusCode);
        await Eventually.TrueAsync(async () => await ScheduledRunsAsync(slug) > paused, "a scheduled run after resuming");

        var triggered = await admin.PostAsync($"/api/v1/schedules/{id}/trigger", null);
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var runId = (await triggered.ReadNodeAsync())["runId"]!.GetValue<Guid>();
        Assert.Equal("manual", await App.WithDbAsync(db => db.PipelineRuns.Where(r => r.Id == runId).Select(r => r.Trigger).SingleAsync()));

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/schedules/{id}")).StatusCode);
        await Task.Delay(1500);
        var afterDelete = await ScheduledRunsAsync(slug);
        await Task.Delay(2500);
        Assert.Equal(afterDelete, await ScheduledRunsAsync(slug));
        await admin.PostAsync($"/api/v1/runs/{runId}/cancel", null);
    }

    [Fact]
    public async Task A_schedule_carries_the_parameters_its_pipeline_needs_with_days_relative_to_when_it_fires()
    {
        var slug = await EnrolledTenantAsync();
        using var admin = App.CreateAdminClient();
        var url = $"/api/v1/tenants/{slug}/use-cases/churn-risk/schedules";

        // A daily backfill with no days would fail every run: refused, each missing day named.
        var bare = await admin.PostJsonAsync(url, new { pipeline = "backfill", cron = "0 3 * * *" });
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        var problem = await bare.ReadNodeAsync();
        Assert.Contains("from is required", problem.FieldErrors("parameters.from").Single(), StringComparison.Ordinal);
        Assert.NotEmpty(problem.FieldErrors("parameters.to"));
        var wrong = await (await admin.PostJsonAsync(url, new { pipeline = "backfill", cron = "0 3 * * *",
            parameters = new Dictionary<string, string> { ["from"] = "last week", ["to"] = "yesterday", ["colour"] = "red" } })).ReadNodeAsync();
        Assert.Contains("today-N", wrong.FieldErrors("parameters.from").Single(), StringComparison.Ordinal);
        Assert.Contains("has no parameter 'colour'", wrong.FieldErrors("parameters.colour").Single(), StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.PipelineSchedules.CountAsync(s => s.TenantSlug == slug)));

        // Yesterday, every day: stored as written, resolved to dates when a run starts.
        var created = await admin.PostJsonAsync(url, new { pipeline = "backfill", cron = "0 3 * * *",
            parameters = new Dictionary<string, string> { ["from"] = "today-1", ["to"] = "yesterday", ["version"] = "1" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = await created.ReadNodeAsync();
        Assert.Equal("today-1", schedule["parameters"]!["from"]!.GetValue<string>());
        var triggered = await admin.PostAsync($"/api/v1/schedules/{schedule["id"]!.GetValue<Guid>()}/trigger", null);
        Assert.Equal(HttpStatusCode.Accepted, triggered.StatusCode);
        var run = await (await admin.GetAsync($"/api/v1/runs/{(await triggered.ReadNodeAsync())["runId"]!.GetValue<Guid>()}")).ReadNodeAsync();
        var yesterday = DateTime.UtcNow.Date.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((yesterday, yesterday, "1"), (run["parameters"]!["from"]!.GetValue<string>(), run["parameters"]!["to"]!.GetValue<string>(), run["parameters"]!["version"]!.GetValue<string>()));
    }

    private Task<int> ScheduledRunsAsync(string slug) =>
        App.WithDbAsync(db => db.PipelineRuns.CountAsync(r => r.TenantSlug == slug && r.Trigger == "schedule"));

    private async Task<string> EnrolledTenantAsync()
    {
        var slug = TestSlugs.New("sched");
        using var admin = App.CreateAdminClient();
        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = "Sched", slug, region = "us", useCases = new[] { "churn-risk" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return slug;
    }
}

public sealed class SchedulesApiTestsOnSqlite(AppFixture<Sqlite> fixture) : SchedulesApiTests<Sqlite>(fixture);

public sealed class SchedulesApiTestsOnPostgres(AppFixture<Postgres> fixture) : SchedulesApiTests<Postgres>(fixture);
