using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Schedules;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Schedules;

/// <summary>After downtime a schedule fires once, not once per missed slot.</summary>
public abstract class MisfireTests<TProvider> where TProvider : IProviderKind
{
    [Fact]
    public async Task A_schedule_that_missed_many_slots_while_the_node_was_down_fires_once()
    {
        await using var database = await TProvider.CreateDatabaseAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("cp-misfire-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:DataDirectory"] = dataDirectory,
            ["ControlPlane:Executor:MisfireThresholdSeconds"] = "1",
        };
        try
        {
            DateTime stoppedAt;
            await using (var first = App(database, settings))
            {
                await first.WithScopeAsync(async sp =>
                {
                    await sp.GetRequiredService<Core.Tenants.TenantService>().CreateAsync(
                        new() { Name = "Misfire", Slug = "misfire-co", Region = "us", UseCases = ["churn-risk"] }, "test");
                    return await sp.GetRequiredService<ScheduleService>().CreateAsync(
                        "misfire-co", "churn-risk", new CreateScheduleRequest { Pipeline = "demo", Cron = "*/2 * * * * ?" }, "test");
                });
                await Eventually.TrueAsync(async () => await first.WithDbAsync(db => db.PipelineRuns.AnyAsync(r => r.Trigger == "schedule")), "a first scheduled run");
                stoppedAt = DateTime.UtcNow;
            }

            await Task.Delay(TimeSpan.FromSeconds(9)); // four or five slots missed
            await using var second = App(database, settings);
            _ = second.Server;
            var restartedAt = DateTime.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(1.5)); // the next regular slot is at most two seconds away

            var firedAfterRestart = await second.WithDbAsync(db => db.PipelineRuns
                .Where(r => r.Trigger == "schedule" && r.CreatedAt > stoppedAt).Select(r => r.CreatedAt).ToListAsync());
            Assert.InRange(firedAfterRestart.Count, 1, 2); // one for the missed slots, at most one regular slot
            Assert.All(firedAfterRestart, at => Assert.True(at >= restartedAt.AddSeconds(-1), $"a run was created at {at:O}, while the node was down"));
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static ControlPlaneApp App(ITestDatabase database, Dictionary<string, string?> settings)
    {
        var app = new ControlPlaneApp(database) { OwnsStorage = false };
        foreach (var (key, value) in settings)
        {
            app.Settings[key] = value;
        }

        return app;
    }
}

public sealed class MisfireTestsOnSqlite : MisfireTests<Sqlite>;

public sealed class MisfireTestsOnPostgres : MisfireTests<Postgres>;
