using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.IntegrationTests.Registry;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Serving;

/// <summary>
/// The champion moves twice while eight clients send predictions without pause: not one request fails, every answer
/// comes from a version that was champion during the request, and after each move the new version answers. Every
/// answer is in the prediction log (sampled at 1 here). A move the node was never told of (another node's, its
/// notification lost) is seen by the directory's next sweep, and a key revoked there is refused after the key cache's.
/// </summary>
public abstract class HotSwapTests<TProvider>(HotSwapFixture<TProvider> fixture) : IClassFixture<HotSwapFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Moving_the_champion_under_concurrent_load_fails_no_request_and_the_new_version_takes_over()
    {
        var (slug, key, table, model, RegisterAsync) = await EnrollAsync("swap");
        var v1 = await RegisterAsync();
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v1, AliasNames.Champion, "test", "first"))).IsOk);
        var v2 = await RegisterAsync();
        var v3 = await RegisterAsync();
        var body = new JsonObject { ["rows"] = PredictRows.Rows(table, 0, 1) }.ToJsonString();

        var droppedBefore = App.Services.GetRequiredService<PredictionLogBuffer>().DroppedTotal;
        var answers = new ConcurrentQueue<(HttpStatusCode Status, int Version, DateTime At)>();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var client = App.CreateAnonymousClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            while (!stop.IsCancellationRequested)
            {
                var response = await client.PostAsync($"/api/v1/predict/{slug}/{UseCase}", new StringContent(body, Encoding.UTF8, "application/json"));
                var version = response.IsSuccessStatusCode ? (await response.ReadNodeAsync())["model"]!["number"]!.GetValue<int>() : -1;
                answers.Enqueue((response.StatusCode, version, DateTime.UtcNow));
            }
        })).ToArray();

        await Eventually.Until(() => answers.Count >= 50, "50 answers from v1");
        var moves = new List<(DateTime Asked, DateTime Done)>(); // the move commits between the two
        foreach (var next in new[] { v2, v3 })
        {
            var asked = DateTime.UtcNow;
            Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, next, AliasNames.Champion, "test", "swap"))).IsOk);
            moves.Add((asked, DateTime.UtcNow));
            var target = next;
            await Eventually.Until(() => answers.Count(a => a.Version == target) >= 50, $"50 answers from v{target}");
        }

        await stop.CancelAsync();
        await Task.WhenAll(clients);

        var all = answers.ToArray();
        Assert.All(all, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal([v1, v2, v3], all.Select(a => a.Version).Distinct().Order());
        // A version answers only after it became champion (a request started before a move may still end with the old one).
        Assert.All(all.Where(a => a.Version == v2), a => Assert.True(a.At >= moves[0].Asked));
        Assert.All(all.Where(a => a.Version == v3), a => Assert.True(a.At >= moves[1].Asked));
        // After the last move settles, nothing older answers: the answers from a second on are all v3.
        Assert.All(all.Where(a => a.At > moves[1].Done.AddSeconds(1)), a => Assert.Equal(v3, a.Version));

        // Every answered row went to the prediction log (sample rate 1 here), with the version and the inputs it read —
        // or, when the database fell behind eight clients without pause (a loaded machine), was dropped and counted as such.
        var buffer = App.Services.GetRequiredService<PredictionLogBuffer>();
        await buffer.FlushAsync();
        var dropped = buffer.DroppedTotal - droppedBefore;
        var logged = await App.WithDbAsync(db => db.PredictionLog.Where(e => e.EnrollmentId == db.Enrollments.Single(x => x.Tenant!.Slug == slug).Id).ToListAsync());
        Assert.Equal(all.Length, logged.Count + dropped);
        Assert.NotEmpty(logged);
        Assert.All(logged, e => Assert.Equal(PredictionSources.RealTime, e.Source));
        var versionIds = await App.WithDbAsync(db => db.ModelVersions.Where(v => v.Enrollment!.Tenant!.Slug == slug).ToDictionaryAsync(v => v.Id, v => v.Number));
        var answered = all.GroupBy(a => a.Version).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (version, count) in logged.GroupBy(e => versionIds[e.ModelVersionId]).ToDictionary(g => g.Key, g => g.Count()))
        {
            Assert.InRange(count, dropped == 0 ? answered[version] : 0, answered[version]);
        }
        var inputs = JsonNode.Parse(logged[0].Inputs)!.AsObject();
        Assert.All(model.RequiredColumns, c => Assert.True(inputs.ContainsKey(c), $"the logged inputs lack {c}"));
    }

    [Fact]
    public async Task A_champion_moved_without_telling_this_node_is_seen_by_the_next_sweep()
    {
        var (slug, key, table, _, RegisterAsync) = await EnrollAsync("sweep");
        var v1 = await RegisterAsync();
        var v2 = await RegisterAsync();
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v1, AliasNames.Champion, "test", "first"))).IsOk);
        using var client = App.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var body = new JsonObject { ["rows"] = PredictRows.Rows(table, 0, 1) }.ToJsonString();
        async Task<int> AnsweringAsync()
        {
            var response = await client.PostAsync($"/api/v1/predict/{slug}/{UseCase}", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.ReadNodeAsync())["model"]!["number"]!.GetValue<int>();
        }

        Assert.Equal(v1, await AnsweringAsync());

        // Another node's move whose notification never arrived: the alias changes in the database only.
        await App.WithDbAsync(async db =>
        {
            var alias = await db.ModelAliases.SingleAsync(a => a.Enrollment!.Tenant!.Slug == slug && a.Name == AliasNames.Champion);
            alias.ModelVersionId = await db.ModelVersions.Where(v => v.EnrollmentId == alias.EnrollmentId && v.Number == v2).Select(v => v.Id).SingleAsync();
            await db.SaveChangesAsync();
            return 0;
        });
        var moved = DateTime.UtcNow;

        await Eventually.Until(AnsweringAsync, version => version == v2, "the champion moved behind the node's back",
            timeout: ChampionDirectory.SweepInterval * 3);
        // Seen by a sweep (every 5 s), not by the whole re-read of each enrollment (every 60 s).
        Assert.True(DateTime.UtcNow - moved < ChampionDirectory.RefreshInterval / 2, $"took {DateTime.UtcNow - moved}");
    }

    [Fact]
    public async Task A_key_revoked_on_another_node_is_refused_after_the_next_sweep()
    {
        var (slug, key, table, _, RegisterAsync) = await EnrollAsync("revoke");
        var v1 = await RegisterAsync();
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v1, AliasNames.Champion, "test", "first"))).IsOk);
        using var client = App.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var body = new JsonObject { ["rows"] = PredictRows.Rows(table, 0, 1) }.ToJsonString();
        Task<HttpResponseMessage> PredictAsync() => client.PostAsync($"/api/v1/predict/{slug}/{UseCase}", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, (await PredictAsync()).StatusCode); // the key is remembered now

        // Revoked by another node: only the database changes, this node's cache is not told.
        await App.WithDbAsync(async db =>
        {
            foreach (var k in await db.TenantApiKeys.Where(k => k.Tenant!.Slug == slug).ToListAsync())
            {
                k.RevokedAt = DateTime.UtcNow;
            }

            return await db.SaveChangesAsync();
        });
        var revoked = DateTime.UtcNow;

        await Eventually.Until(async () => (await PredictAsync()).StatusCode, status => status == HttpStatusCode.Unauthorized,
            "the revoked key refused", timeout: TenantKeyCache.SweepInterval * 3);
        Assert.True(DateTime.UtcNow - revoked < TenantKeyCache.Lifetime / 10, $"took {DateTime.UtcNow - revoked}");
    }

    private async Task<(string Slug, string Key, RawTable Table, TrainedModel Model, Func<Task<int>> RegisterAsync)> EnrollAsync(string prefix)
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New(prefix);
        var created = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Swap {slug}", slug, region = "us", useCases = new[] { UseCase } })).ReadNodeAsync();
        var key = created["apiKey"]!.GetValue<string>();
        var dataset = DemoFile("hot-swap-fixture", rows: 600); // fixed rows every run: both labels in the test split
        (await UploadAsync(admin, slug, Csv(dataset), "accounts.csv")).EnsureSuccessStatusCode();
        var table = await DemoRawTable.ReadAsync(dataset);
        var useCase = Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        var effective = RuleInheritance.Effective(FeatureRuleService.Defaults(useCase), DemoRuleSet.For(dataset, table.Schema));
        var model = ModelTrainer.Train(table, effective, useCase.TaskType, new TrainingSettings
        {
            Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true, Folds = 2, ExplainedRows = 2,
        });
        using var artifact = new MemoryStream();
        model.Save(artifact);
        var bytes = artifact.ToArray();
        async Task<int> RegisterAsync()
        {
            var result = await ModelVersions.RegisterAsync(App, slug, model.Report.Test.HeadlineValue, bytes, report: model.Report);
            Assert.True(result.IsOk, result.Message);
            return result.Value!.Number;
        }

        return (slug, key, table, model, RegisterAsync);
    }
}

/// <summary>No rate limit in the way: the test sends as fast as eight clients can.</summary>
public sealed class HotSwapFixture<TProvider> : AppFixture<TProvider> where TProvider : IProviderKind
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["ControlPlane:Serving:RequestsPerSecondPerTenant"] = "1000000",
        ["ControlPlane:Serving:BurstPerTenant"] = "1000000",
        ["ControlPlane:Serving:LogSampleRate"] = "1",
    };
}

public sealed class HotSwapTestsOnSqlite(HotSwapFixture<Sqlite> fixture) : HotSwapTests<Sqlite>(fixture);

public sealed class HotSwapTestsOnPostgres(HotSwapFixture<Postgres> fixture) : HotSwapTests<Postgres>(fixture);
