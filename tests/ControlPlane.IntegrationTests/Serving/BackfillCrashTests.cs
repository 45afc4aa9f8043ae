using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Predictions;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Serving;

/// <summary>
/// The embedded default in a real process, killed (SIGKILL) in the middle of a long backfill and started again on the
/// same data: the backfill finishes, the days written before the kill are not written again, and no prediction is
/// doubled. The same real server (Kestrel, not the in-memory test host) answers a 10 MB predict body with 413.
/// </summary>
public sealed class BackfillCrashTests : IAsyncLifetime
{
    private const string Tenant = "contoso-health";
    private const string UseCase = "churn-risk";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("cp-backfill-").FullName;

    [Fact]
    public async Task A_backfill_killed_mid_range_resumes_after_a_restart_skipping_written_days_without_duplicates()
    {
        var settings = NodeProcess.BaseSettings(_dataDirectory);
        settings["ControlPlane:Database:Provider"] = "Sqlite";
        settings["ControlPlane:Database:ConnectionString"] = $"Data Source={Path.Combine(_dataDirectory, "controlplane.db")}";
        settings["ControlPlane:Demo:Seed"] = "true";
        settings["ControlPlane:Training:Trainers:0"] = "fasttree";
        settings["ControlPlane:Training:TimeBudgetSeconds"] = "5";
        settings["ControlPlane:Training:Folds"] = "2";
        settings["ControlPlane:Serving:BackfillParallelism"] = "1";

        Guid runId;
        int writtenBeforeKill;
        DateTime killedAt;
        var (from, to) = (DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3000), DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1));
        var days = to.DayNumber - from.DayNumber + 1;
        await using (var first = await NodeProcess.StartAsync("first", settings, _dataDirectory))
        {
            var retrain = await first.Client.PostAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/retrain", null);
            Assert.True(retrain.StatusCode == HttpStatusCode.Accepted, await retrain.Content.ReadAsStringAsync() + first.Output);
            var trained = await first.Client.WaitFinishedAsync((await retrain.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(3));
            Assert.True(trained.Run.State == RunState.Succeeded, RunsClient.Describe(trained));

            // A real server refuses a 10 MB body before reading it, and keeps serving.
            var key = (await (await first.Client.PostAsync($"/api/v1/tenants/{Tenant}/api-keys/rotate", null)).ReadNodeAsync())["apiKey"]!.GetValue<string>();
            using (var keyed = new HttpClient { BaseAddress = first.Address })
            {
                keyed.DefaultRequestHeaders.Add("X-Api-Key", key);
                // Ask before sending the body, as a well-behaved client of a large upload does: the refusal comes instead of "continue".
                keyed.DefaultRequestHeaders.ExpectContinue = true;
                var huge = new StringBuilder("{\"rows\":[");
                while (huge.Length < 10 * 1024 * 1024) huge.Append("{\"account_id\": 1234567, \"users\": 12},");
                huge.Append("{}]}");
                var tooLarge = await keyed.PostAsync($"/api/v1/predict/{Tenant}/{UseCase}", new StringContent(huge.ToString(), Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
                var nan = await keyed.PostAsync($"/api/v1/predict/{Tenant}/{UseCase}", new StringContent("{\"rows\":[{\"users\": NaN}]}", Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.BadRequest, nan.StatusCode);
                Assert.Contains("not valid JSON", (await nan.ReadNodeAsync())["errors"]!["body"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            }

            var started = await first.Client.PostAsJsonAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/backfills",
                new { from = from.ToString("yyyy-MM-dd"), to = to.ToString("yyyy-MM-dd"), version = 1 });
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
            runId = (await started.ReadNodeAsync())["runId"]!.GetValue<Guid>();

            // Kill it once a good share of the days is written, well before the end.
            var seen = await Eventually.Until(() => DoneAsync(first.Client, runId), done => done >= 100, "100 days written", TimeSpan.FromMinutes(2));
            first.Kill();
            killedAt = DateTime.UtcNow;
            writtenBeforeKill = seen;
            Assert.True(seen < days, $"the backfill finished ({seen} of {days} days) before it could be killed");
        }

        await using var second = await NodeProcess.StartAsync("second", settings, _dataDirectory);
        var run = await second.Client.WaitFinishedAsync(runId, TimeSpan.FromMinutes(3));
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run) + Environment.NewLine + second.Output);
        Assert.True(run.Task("score-days").AttemptHistory.Count >= 2, RunsClient.Describe(run));

        var backfill = await (await second.Client.GetAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/backfills/{runId}")).ReadNodeAsync();
        var partitions = backfill["partitions"]!.AsArray();
        Assert.Equal(days, partitions.Count);
        Assert.All(partitions, p => Assert.Equal(PartitionStates.Done, p!["state"]!.GetValue<string>()));
        // The days written before the kill kept their first write: they were skipped, not written again.
        var early = partitions.Where(p => p!["completedAt"]!.GetValue<DateTime>().ToUniversalTime() < killedAt).ToList();
        Assert.True(early.Count >= writtenBeforeKill, $"{early.Count} days completed before the kill, {writtenBeforeKill} seen");

        var total = await (await second.Client.GetAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/predictions?runId={runId}&pageSize=1")).ReadNodeAsync();
        var rows = partitions.Sum(p => p!["rowCount"]!.GetValue<long>());
        Assert.Equal(rows, total["totalCount"]!.GetValue<long>());
        var csv = await second.Client.GetStringAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/predictions?runId={runId}&format=csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal(rows, lines.Count);
        Assert.True(rows > 0, "the backfill scored no rows");
        // entity key and as-of identify a scored row: none appears twice.
        Assert.Equal(lines.Count, lines.Select(l => string.Join(',', l.Split(',')[2..4])).Distinct().Count());
    }

    private static async Task<int> DoneAsync(HttpClient client, Guid runId)
    {
        var response = await client.GetAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/backfills/{runId}");
        if (response.StatusCode == HttpStatusCode.NotFound) return 0;
        var node = await response.ReadNodeAsync();
        return node["partitions"]!.AsArray().Count(p => p!["state"]!.GetValue<string>() == PartitionStates.Done);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
