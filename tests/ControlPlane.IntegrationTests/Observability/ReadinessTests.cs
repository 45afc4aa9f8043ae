using System.Net;
using System.Text.Json.Nodes;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace ControlPlane.IntegrationTests.Observability;

/// <summary>
/// <c>/health/ready</c> lists the database and scheduler checks and answers 503 naming the scheduler when Quartz is in
/// standby; <c>/health/live</c> keeps its constant answer. Both are anonymous.
/// </summary>
public abstract class ReadinessTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Ready_lists_its_checks_healthy_and_is_503_naming_the_scheduler_in_standby()
    {
        using var client = App.CreateAnonymousClient();
        // A node just started is not ready until its executor loop has cycled once.
        var ready = await Eventually.Until(() => client.GetAsync("/health/ready"), r => r.StatusCode == HttpStatusCode.OK, "the node ready");
        var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", report["status"]!.GetValue<string>());
        var checks = report["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.Equal(["database", "scheduler", "writes"], checks.Keys.Order());
        Assert.All(checks.Values, c => Assert.Equal("Healthy", c["status"]!.GetValue<string>()));
        Assert.All(checks.Values, c => Assert.False(string.IsNullOrWhiteSpace(c["description"]!.GetValue<string>())));

        var scheduler = await App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        try
        {
            var notReady = await client.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            var body = await notReady.Content.ReadAsStringAsync();
            var failed = JsonNode.Parse(body)!["checks"]!.AsArray().Single(c => c!["status"]!.GetValue<string>() != "Healthy")!;
            Assert.Equal("scheduler", failed["name"]!.GetValue<string>());
            Assert.Contains("standby", failed["description"]!.GetValue<string>(), StringComparison.Ordinal);
            // Nothing about the database's whereabouts reaches an anonymous caller.
            Assert.DoesNotContain(App.Database.ConnectionString, body, StringComparison.Ordinal);
            Assert.DoesNotContain("Host=", body, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await scheduler.Start();
        }

        await Eventually.Until(async () => (await client.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK, "ready again after standby");
    }

    [Fact]
    public async Task Live_keeps_its_constant_answer()
    {
        using var client = App.CreateAnonymousClient();
        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("{\"status\":\"live\"}", await live.Content.ReadAsStringAsync());
    }
}

public sealed class ReadinessTestsOnSqlite(AppFixture<Sqlite> fixture) : ReadinessTests<Sqlite>(fixture);

public sealed class ReadinessTestsOnPostgres(AppFixture<Postgres> fixture) : ReadinessTests<Postgres>(fixture);
