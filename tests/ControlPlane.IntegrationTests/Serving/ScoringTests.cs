using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.IntegrationTests.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parquet;

namespace ControlPlane.IntegrationTests.Serving;

/// <summary>
/// Batch scoring, backfills and feedback end to end on a real model (trained by the retrain pipeline on the tenant's
/// generated data): predictions written by COPY on PostgreSQL and batched inserts on SQLite, read back through the API
/// and downloads, compared with the same model scoring the same snapshot in memory.
/// </summary>
public abstract class ScoringTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = DemoUseCaseKeys.ChurnRisk;
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_batch_score_writes_one_prediction_per_row_as_the_model_scores_offline_and_a_second_one_replaces_it()
    {
        // Before anything is trained the plan says why nothing can be scored.
        using (var early = App.CreateAdminClient())
        {
            var bare = await RetrainTenants.CreateAsync(App, early, UseCase, "us", rows: 300, seed: 4, slug: "score-plan-untrained");
            var none = await (await early.GetAsync($"/api/v1/tenants/{bare}/use-cases/{UseCase}/batch-scores/plan")).ReadNodeAsync();
            Assert.StartsWith("No dataset version has passed validation yet", none["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var admin = App.CreateAdminClient();
        var slug = await TrainedTenantAsync(admin);
        var plan = await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores/plan")).ReadNodeAsync();
        Assert.Equal((1, 600L, "own v1"), (plan["datasetVersion"]!.GetValue<int>(), plan["rows"]!.GetValue<long>(), plan["model"]!.GetValue<string>()));
        Assert.StartsWith("Dataset version 1 (", plan["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("600 rows", plan["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var first = await StartAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", new { });
        var run = await admin.WaitFinishedAsync(first, TimeSpan.FromMinutes(2));
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));

        var (data, model) = await SnapshotAndChampionAsync(slug);
        var offline = model.Score(BatchScorer.Align(data, model, out var error) ?? throw new InvalidOperationException(error));
        var page = await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?runId={first}&pageSize=1000")).ReadNodeAsync();
        Assert.Equal(data.RowCount, page["totalCount"]!.GetValue<int>());
        var byKey = page["items"]!.AsArray().ToDictionary(p => p!["entityKey"]!.GetValue<string>());
        Assert.Equal(data.RowCount, byKey.Count);
        foreach (var score in offline)
        {
            var online = byKey[score.EntityKey!]!;
            Assert.Equal(score.Score, online["score"]!.GetValue<double>(), precision: 6);
            Assert.Equal(score.Score >= 0.5 ? "true" : "false", online["label"]!.GetValue<string>());
            Assert.Equal("own v1", online["model"]!.GetValue<string>());
        }

        // The same dataset version again: its predictions replace the first run's, so there are as many as before.
        var second = await StartAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", new { datasetVersion = 1 });
        Assert.Equal(RunState.Succeeded, (await admin.WaitFinishedAsync(second, TimeSpan.FromMinutes(2))).Run.State);
        var all = await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?pageSize=1")).ReadNodeAsync();
        Assert.Equal(data.RowCount, all["totalCount"]!.GetValue<int>());
        var batches = (await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores")).ReadNodeAsync()).AsArray();
        Assert.Equal([PartitionStates.Done, PartitionStates.Replaced], batches.Select(b => b!["state"]!.GetValue<string>()));
        Assert.Equal(0, (await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?runId={first}")).ReadNodeAsync())["totalCount"]!.GetValue<int>());

        // Downloads: CSV (header + one line per row) and Parquet (as many rows), of the same predictions.
        var csv = await admin.GetStringAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?format=csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("tenant,use_case,entity_key,as_of,model_version,score,label,class_scores", lines[0]);
        Assert.Equal(data.RowCount + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith($"{slug},{UseCase},", l, StringComparison.Ordinal));
        var parquet = await admin.GetByteArrayAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?format=parquet");
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(parquet));
        Assert.Equal(data.RowCount, Enumerable.Range(0, reader.RowGroupCount).Sum(g => reader.OpenRowGroupReader(g).RowCount));
        Assert.Contains("as_of", reader.Schema.DataFields.Select(f => f.Name));

        var bad = await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?format=xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("format", (await bad.ReadNodeAsync())["errors"]!.AsObject().Select(e => e.Key));

        // A sample of the batch went to the prediction log, with the inputs the model reads.
        var logged = await App.WithDbAsync(db => db.PredictionLog.Where(e => e.Source == PredictionSources.Batch
            && e.EnrollmentId == db.Enrollments.Single(x => x.Tenant!.Slug == slug).Id).ToListAsync());
        Assert.NotEmpty(logged);
        Assert.All(logged, e => Assert.StartsWith("{", e.Inputs, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Feedback_is_recorded_all_or_nothing_and_joined_to_the_prediction_it_answers()
    {
        using var admin = App.CreateAdminClient();
        var slug = await TrainedTenantAsync(admin);
        var runId = await StartAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", new { });
        Assert.Equal(RunState.Succeeded, (await admin.WaitFinishedAsync(runId, TimeSpan.FromMinutes(2))).Run.State);
        var predictions = (await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?pageSize=3")).ReadNodeAsync())["items"]!.AsArray();
        var key = (await (await admin.PostAsync($"/api/v1/tenants/{slug}/api-keys/rotate", null)).ReadNodeAsync())["apiKey"]!.GetValue<string>();
        using var client = App.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        var url = $"/api/v1/feedback/{slug}/{UseCase}";

        // One bad outcome refuses the whole request, naming it; nothing is kept.
        var refused = await client.PostAsync(url, Json(new JsonObject
        {
            ["outcomes"] = new JsonArray(
                new JsonObject { ["entityKey"] = predictions[0]!["entityKey"]!.GetValue<string>(), ["label"] = true },
                new JsonObject { ["entityKey"] = predictions[1]!["entityKey"]!.GetValue<string>(), ["label"] = "perhaps" }),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.ReadNodeAsync();
        Assert.Contains("outcomes[1].label", problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(0, (await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/feedback")).ReadNodeAsync())["totalCount"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(url, new StringContent("{\"outcomes\": [NaN]}", Encoding.UTF8, "application/json"))).StatusCode);

        var outcomes = new JsonArray();
        foreach (var p in predictions)
        {
            outcomes.Add(new JsonObject
            {
                ["entityKey"] = p!["entityKey"]!.GetValue<string>(), ["label"] = "yes",
                ["occurredAt"] = p["asOf"]!.GetValue<DateTime>().AddDays(30).ToString("O"),
            });
        }

        outcomes.Add(new JsonObject { ["entityKey"] = "never-scored", ["label"] = 0 });
        var accepted = await client.PostAsync(url, Json(new JsonObject { ["outcomes"] = outcomes }));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(4, (await accepted.ReadNodeAsync())["recorded"]!.GetValue<int>());

        var joined = (await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/feedback")).ReadNodeAsync())["items"]!.AsArray();
        Assert.Equal(4, joined.Count);
        foreach (var p in predictions)
        {
            var outcome = joined.Single(o => o!["entityKey"]!.GetValue<string>() == p!["entityKey"]!.GetValue<string>())!;
            Assert.Equal("true", outcome["label"]!.GetValue<string>());
            Assert.Equal("batch", outcome["prediction"]!["source"]!.GetValue<string>());
            Assert.Equal(p!["score"]!.GetValue<double>(), outcome["prediction"]!["score"]!.GetValue<double>(), precision: 9);
            Assert.Equal("own v1", outcome["prediction"]!["model"]!.GetValue<string>());
        }

        // Both ends of a range are included (decision 0051): the day an outcome occurred finds it.
        var occurred = predictions[0]!["asOf"]!.GetValue<DateTime>().ToUniversalTime().AddDays(30);
        var sameDay = predictions.Count(p => p!["asOf"]!.GetValue<DateTime>().ToUniversalTime().AddDays(30).Date == occurred.Date);
        var onTheDay = await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/feedback?from={occurred:yyyy-MM-dd}&to={occurred:yyyy-MM-dd}")).ReadNodeAsync();
        Assert.Equal(sameDay, onTheDay["totalCount"]!.GetValue<int>());

        var unanswered = joined.Single(o => o!["entityKey"]!.GetValue<string>() == "never-scored")!;
        Assert.Equal("false", unanswered["label"]!.GetValue<string>());
        Assert.Null(unanswered["prediction"]);

        // Offboarding takes the tenant's predictions with it (they have no foreign key to cascade through).
        var partitions = await App.WithDbAsync(db => db.PredictionPartitions.Where(p => p.Enrollment!.Tenant!.Slug == slug).Select(p => p.Id).ToListAsync());
        Assert.True(await App.WithDbAsync(db => db.Predictions.AnyAsync(p => partitions.Contains(p.PartitionId))));
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/tenants/{slug}?confirm={slug}")).StatusCode);
        Assert.False(await App.WithDbAsync(db => db.Predictions.AnyAsync(p => partitions.Contains(p.PartitionId))));
    }

    [Fact]
    public async Task A_backfill_scores_each_row_with_the_version_live_at_its_time_and_a_second_backfill_replaces_the_days_without_duplicates()
    {
        using var admin = App.CreateAdminClient();
        var slug = await TrainedTenantAsync(admin);
        var (data, v1Model) = await SnapshotAndChampionAsync(slug);

        // v2 (the same model, registered again) becomes champion; then the history is moved into the data's time range:
        // v1 live from a quarter of the way in, v2 from the middle.
        using var artifact = new MemoryStream();
        v1Model.Save(artifact);
        var v2 = await ModelVersions.RegisterAsync(App, slug, 0.7, artifact.ToArray(), useCase: UseCase, report: v1Model.Report);
        Assert.True(v2.IsOk, v2.Message);
        Assert.True((await ModelVersions.WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v2.Value!.Number, AliasNames.Champion, "test", "newer"))).IsOk);
        var version = await App.WithDbAsync(db => db.DatasetVersions.SingleAsync(v => v.Enrollment!.Tenant!.Slug == slug));
        var (from, to) = (version.TimeFrom!.Value, version.TimeTo!.Value);
        var v1From = from + (to - from) / 4;
        var v2From = from + (to - from) / 2;
        await App.WithDbAsync(async db =>
        {
            var moves = await db.AliasChanges.Where(c => c.Enrollment!.Tenant!.Slug == slug && c.Alias == AliasNames.Champion).OrderBy(c => c.Sequence).ToListAsync();
            Assert.Equal(2, moves.Count);
            moves[0].At = v1From;
            moves[1].At = v2From;
            return await db.SaveChangesAsync();
        });

        var body = new { from = from.ToString("yyyy-MM-dd"), to = to.ToString("yyyy-MM-dd") };
        var runId = await StartAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/backfills", body);
        var run = await admin.WaitFinishedAsync(runId, TimeSpan.FromMinutes(3));
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));

        var backfill = await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/backfills/{runId}")).ReadNodeAsync();
        var days = backfill["partitions"]!.AsArray();
        Assert.Equal((to.Date - from.Date).Days + 1, days.Count);
        Assert.All(days, d => Assert.Equal(PartitionStates.Done, d!["state"]!.GetValue<string>()));
        Assert.Equal("live at each date", backfill["model"]!.GetValue<string>());

        var times = EventTimes(data);
        var expectedSkipped = times.Count(t => t < v1From);
        Assert.Equal(expectedSkipped, days.Sum(d => d!["skippedRows"]!.GetValue<long>()));
        var rows = await AllPredictionsAsync(admin, slug, runId);
        Assert.Equal(times.Count - expectedSkipped, rows.Count);
        Assert.All(rows, r =>
        {
            var asOf = r["asOf"]!.GetValue<DateTime>().ToUniversalTime();
            Assert.True(asOf >= v1From, $"{asOf:O} is before the first champion");
            Assert.Equal(asOf < v2From ? "own v1" : "own v2", r["model"]!.GetValue<string>());
        });
        Assert.Contains(rows, r => r["model"]!.GetValue<string>() == "own v1");
        Assert.Contains(rows, r => r["model"]!.GetValue<string>() == "own v2");

        // The same range again with a fixed version: every day is replaced, none doubled.
        var again = await StartAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/backfills", new { body.from, body.to, version = 1 });
        Assert.Equal(RunState.Succeeded, (await admin.WaitFinishedAsync(again, TimeSpan.FromMinutes(3))).Run.State);
        var current = await AllPredictionsAsync(admin, slug, runId: null);
        Assert.Equal(times.Count, current.Count);
        Assert.All(current, r => Assert.Equal("own v1", r["model"]!.GetValue<string>()));
        Assert.Equal(current.Count, current.Select(r => (r["entityKey"]!.GetValue<string>(), r["asOf"]!.GetValue<DateTime>())).Distinct().Count());

        // One meaning for a range (decision 0051): the backfill's from–to read back as predictions from–to is every row,
        // the last day alone is its rows (to is included), and the download of that range holds as many.
        var predictions = $"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions";
        Assert.Equal(times.Count, await CountAsync(admin, $"{predictions}?from={body.from}&to={body.to}&pageSize=1"));
        var lastDay = times.Count(t => t.Date == to.Date);
        Assert.True(lastDay > 0);
        Assert.Equal(lastDay, await CountAsync(admin, $"{predictions}?from={body.to}&to={body.to}&pageSize=1"));
        var lastDayCsv = await admin.GetStringAsync($"{predictions}?from={body.to}&to={body.to}&format=csv");
        Assert.Equal(lastDay + 1, lastDayCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var lastTime = times.Max().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(times.Count(t => t == times.Max()), await CountAsync(admin, $"{predictions}?from={Uri.EscapeDataString(lastTime)}&to={Uri.EscapeDataString(lastTime)}&pageSize=1"));
        var backwards = await admin.GetAsync($"{predictions}?from={body.to}&to={body.from}");
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.NotEmpty((await backwards.ReadNodeAsync()).FieldErrors("to"));
        Assert.Equal(0, (await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?runId={runId}")).ReadNodeAsync())["totalCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_cancelled_backfill_keeps_the_days_it_wrote_and_marks_the_rest_cancelled()
    {
        using var admin = App.CreateAdminClient();
        var slug = await TrainedTenantAsync(admin);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var body = new { from = today.AddDays(-3000).ToString("yyyy-MM-dd"), to = today.AddDays(-1).ToString("yyyy-MM-dd"), version = 1 };
        var runId = await StartAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/backfills", body);
        var url = $"/api/v1/tenants/{slug}/use-cases/{UseCase}/backfills/{runId}";
        await Eventually.Until(async () =>
        {
            var response = await admin.GetAsync(url);
            return response.IsSuccessStatusCode
                ? (await response.ReadNodeAsync())["partitions"]!.AsArray().Count(p => p!["state"]!.GetValue<string>() == PartitionStates.Done)
                : 0;
        }, done => done >= 20, "20 days written", TimeSpan.FromMinutes(2));

        (await admin.PostAsync($"/api/v1/runs/{runId}/cancel", null)).EnsureSuccessStatusCode();
        var run = await admin.WaitFinishedAsync(runId, TimeSpan.FromMinutes(1));

        Assert.Equal(RunState.Cancelled, run.Run.State);
        // The task marks the days it did not write as it stops, just after the run is cancelled.
        var days = await Eventually.Until(async () => (await (await admin.GetAsync(url)).ReadNodeAsync())["partitions"]!.AsArray(),
            d => d.All(p => p!["state"]!.GetValue<string>() is not (PartitionStates.Pending or PartitionStates.Running)), "the days left to be marked",
            describe: d => string.Join(", ", d.GroupBy(p => p!["state"]!.GetValue<string>()).Select(g => $"{g.Key} {g.Count()}")));
        var states = days.GroupBy(d => d!["state"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(states.GetValueOrDefault(PartitionStates.Done) >= 20, string.Join(", ", states));
        Assert.True(states.GetValueOrDefault(PartitionStates.Cancelled) > 0, string.Join(", ", states));
        Assert.Equal(days.Count, states.GetValueOrDefault(PartitionStates.Done) + states.GetValueOrDefault(PartitionStates.Cancelled));
        // What was written stays, whole: the predictions are exactly the done days' rows.
        var written = days.Where(d => d!["state"]!.GetValue<string>() == PartitionStates.Done).Sum(d => d!["rowCount"]!.GetValue<long>());
        var total = (await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?runId={runId}&pageSize=1")).ReadNodeAsync())["totalCount"]!.GetValue<long>();
        Assert.Equal(written, total);
    }

    [Fact]
    public async Task Bad_backfill_and_batch_requests_are_refused_naming_the_field()
    {
        using var admin = App.CreateAdminClient();
        var slug = await TrainedTenantAsync(admin);
        var url = $"/api/v1/tenants/{slug}/use-cases/{UseCase}/backfills";

        var missing = await admin.PostJsonAsync(url, new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(["from", "to"], (await missing.ReadNodeAsync())["errors"]!.AsObject().Select(e => e.Key).Order());

        var backwards = await (await admin.PostJsonAsync(url, new { from = "2026-03-01", to = "2026-02-01" })).ReadNodeAsync();
        Assert.Contains("before the first", backwards["errors"]!["to"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var future = await (await admin.PostJsonAsync(url, new { from = "2026-01-01", to = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd") })).ReadNodeAsync();
        Assert.Contains("after today", future["errors"]!["to"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var noVersion = await admin.PostJsonAsync(url, new { from = "2026-01-01", to = "2026-01-02", version = 9 });
        Assert.Equal(HttpStatusCode.BadRequest, noVersion.StatusCode);
        Assert.Contains("version", (await noVersion.ReadNodeAsync())["errors"]!.AsObject().Select(e => e.Key));

        var malformed = await admin.PostAsync(url, new StringContent("{\"from\": \"yesterday\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/lead-scoring/batch-scores", new { })).StatusCode);
        var noData = await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", new { datasetVersion = 7 });
        Assert.Equal(HttpStatusCode.BadRequest, noData.StatusCode);
        Assert.Contains("no dataset version 7", (await noData.ReadNodeAsync())["errors"]!["datasetVersion"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backfill_that_would_score_nothing_is_refused_before_it_starts_and_one_that_scored_nothing_ends_with_the_reason()
    {
        using var admin = App.CreateAdminClient();
        var slug = await TrainedTenantAsync(admin);
        var url = $"/api/v1/tenants/{slug}/use-cases/{UseCase}/backfills";
        var (data, _) = await SnapshotAndChampionAsync(slug);
        var times = EventTimes(data);
        var (first, last) = (times.Min().Date, times.Max().Date);

        // Days the data holds no row of: refused at from, naming where the rows are.
        var before = await admin.PostJsonAsync(url, new { from = $"{first.AddDays(-40):yyyy-MM-dd}", to = $"{first.AddDays(-10):yyyy-MM-dd}", version = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, before.StatusCode);
        Assert.Contains($"holds rows from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}", (await before.ReadNodeAsync()).FieldErrors("from").Single(), StringComparison.Ordinal);

        // "Live at each date" over history older than the first champion (trained just now): every row would be skipped.
        var live = await admin.PostJsonAsync(url, new { from = $"{first:yyyy-MM-dd}", to = $"{last:yyyy-MM-dd}" });
        Assert.Equal(HttpStatusCode.Conflict, live.StatusCode);
        var refusal = (await live.ReadNodeAsync()).FieldErrors("version").Single();
        Assert.Contains("no row would be scored", refusal, StringComparison.Ordinal);
        Assert.Contains("backtest", refusal, StringComparison.Ordinal);
        Assert.Equal(0, await App.WithDbAsync(db => db.Backfills.CountAsync(b => b.Enrollment!.Tenant!.Slug == slug)));

        // The champion from the last second of the data's last day: the pre-check lets it through, every row is skipped,
        // and the run says so instead of ending silently green.
        await App.WithDbAsync(async db =>
        {
            var move = await db.AliasChanges.SingleAsync(c => c.Enrollment!.Tenant!.Slug == slug && c.Alias == AliasNames.Champion);
            move.At = last.AddDays(1).AddTicks(-1);
            return await db.SaveChangesAsync();
        });
        var runId = await StartAsync(admin, url, new { from = $"{last.AddDays(-2):yyyy-MM-dd}", to = $"{last:yyyy-MM-dd}" });
        var run = await admin.WaitFinishedAsync(runId, TimeSpan.FromMinutes(3));
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        var summary = await (await admin.GetAsync($"/api/v1/runs/{runId}")).ReadNodeAsync();
        var warning = summary["run"]!["warning"]!.GetValue<string>();
        Assert.StartsWith("No row was scored:", warning, StringComparison.Ordinal);
        Assert.Contains($"no version was champion before {last:yyyy-MM-dd}", warning, StringComparison.Ordinal);
        Assert.Contains($"{times.Count(t => t.Date >= last.AddDays(-2)):N0} rows", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backtest_scores_each_period_with_a_model_trained_only_on_the_rows_before_it_and_measures_it()
    {
        using var admin = App.CreateAdminClient();
        var slug = await TrainedTenantAsync(admin);
        var url = $"/api/v1/tenants/{slug}/use-cases/{UseCase}/backtests";
        var (data, _) = await SnapshotAndChampionAsync(slug);
        var times = EventTimes(data);
        var (first, last) = (times.Min().Date, times.Max().Date);
        var from = first.AddDays((last - first).Days / 2);
        var cadence = (last - from).Days / 2 + 1;

        // Refused before it starts, each at its field.
        var noHistory = await admin.PostJsonAsync(url, new { from = $"{first:yyyy-MM-dd}", to = $"{last:yyyy-MM-dd}" });
        Assert.Equal(HttpStatusCode.BadRequest, noHistory.StatusCode);
        Assert.Contains("start later", (await noHistory.ReadNodeAsync()).FieldErrors("from").Single(), StringComparison.Ordinal);
        var badCadence = await admin.PostJsonAsync(url, new { from = $"{from:yyyy-MM-dd}", to = $"{last:yyyy-MM-dd}", retrainEveryDays = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, badCadence.StatusCode);
        Assert.NotEmpty((await badCadence.ReadNodeAsync()).FieldErrors("retrainEveryDays"));
        var servedBefore = await CountAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?pageSize=1");

        var runId = await StartAsync(admin, url, new { from = $"{from:yyyy-MM-dd}", to = $"{last:yyyy-MM-dd}", retrainEveryDays = cadence });
        var run = await admin.WaitFinishedAsync(runId, TimeSpan.FromMinutes(5));
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        Assert.Null(run.Run.Warning);

        var backtest = await (await admin.GetAsync($"{url}/{runId}")).ReadNodeAsync();
        var periods = backtest["periods"]!.AsArray();
        Assert.Equal(2, periods.Count);
        foreach (var period in periods)
        {
            var start = period!["from"]!.GetValue<DateTime>();
            var end = period["to"]!.GetValue<DateTime>().AddDays(1);
            Assert.Equal("done", period["state"]!.GetValue<string>());
            // Walk-forward: the model saw only rows before its period, and scored exactly the period's rows.
            var before = times.Count(t => t < start);
            Assert.InRange(period["trainingRows"]!.GetValue<int>(), 1, before);
            Assert.Equal(times.Count(t => t >= start && t < end), period["scoredRows"]!.GetValue<long>());
            Assert.Equal("auc", period["metric"]!.GetValue<string>());
            var (value, low, high) = (period["value"]!.GetValue<double>(), period["low"]!.GetValue<double>(), period["high"]!.GetValue<double>());
            Assert.InRange(value, low, high);
            Assert.InRange(value, 0.5, 1.0); // the demo's labels follow its features: a model trained on the past beats chance
        }
        Assert.Equal(periods[1]!["from"]!.GetValue<DateTime>(), periods[0]!["to"]!.GetValue<DateTime>().AddDays(1));

        // Its predictions are apart: asked for by kind, named by the period's model; never among the served ones.
        var scored = periods.Sum(p => p!["scoredRows"]!.GetValue<long>());
        var predictions = $"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions";
        Assert.Equal(scored, await CountAsync(admin, $"{predictions}?kind=backtest&pageSize=1"));
        Assert.Equal(servedBefore, await CountAsync(admin, $"{predictions}?pageSize=1"));
        var one = (await (await admin.GetAsync($"{predictions}?kind=BACKTEST&pageSize=1")).ReadNodeAsync())["items"]![0]!;
        Assert.Equal(("backtest", $"backtest (trained before {from:yyyy-MM-dd})"), (one["kind"]!.GetValue<string>(), one["model"]!.GetValue<string>()));
        // Their scores' spread, counted in the database: the bars add up to the rows, all within 0–1.
        var spread = await (await admin.GetAsync($"{predictions}/distribution?kind=backtest")).ReadNodeAsync();
        Assert.Equal(scored, spread["total"]!.GetValue<long>());
        Assert.Equal(scored, spread["bins"]!.AsArray().Sum(b => b!["count"]!.GetValue<long>()));
        Assert.Equal((20, 0.0, 1.0), (spread["bins"]!.AsArray().Count, spread["bins"]![0]!["from"]!.GetValue<double>(), spread["bins"]![19]!["to"]!.GetValue<double>()));
        Assert.InRange(spread["mean"]!.GetValue<double>(), 0, 1);
        var badKind = await admin.GetAsync($"{predictions}?kind=shadow");
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Contains("batch, backfill, backtest", (await badKind.ReadNodeAsync()).FieldErrors("kind").Single(), StringComparison.Ordinal);
    }

    /// <summary>A fixed slug per test: the same generated data (and so a trainable one) at every run.</summary>
    private async Task<string> TrainedTenantAsync(HttpClient admin, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var slug = await RetrainTenants.CreateAsync(App, admin, UseCase, "us", rows: 600, seed: 3, slug: "score-" + test[..Math.Min(20, test.Length)].ToLowerInvariant().Replace('_', '-').TrimEnd('-'));
        var response = await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var run = await admin.WaitFinishedAsync((await response.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(2));
        Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        return slug;
    }

    private async Task<(ML.Rules.RawTable Data, ML.Training.TrainedModel Model)> SnapshotAndChampionAsync(string slug)
    {
        var (path, region, championId) = await App.WithDbAsync(async db =>
        {
            var v = await db.DatasetVersions.Include(d => d.Enrollment).SingleAsync(d => d.Enrollment!.Tenant!.Slug == slug);
            var champion = await db.ModelAliases.SingleAsync(a => a.EnrollmentId == v.EnrollmentId && a.Name == AliasNames.Champion);
            return (v.SnapshotPath, v.Region, champion.ModelVersionId);
        });
        var data = await SnapshotReader.ReadAsync(App.Services.GetRequiredService<RegionCatalog>().StoreFor(region), path, maxRows: null);
        return (data, await App.Services.GetRequiredService<ModelCache>().ModelAsync(championId));
    }

    private static List<DateTime> EventTimes(ML.Rules.RawTable data) =>
        ((DateTime?[])data.Columns.Single(c => c.Type == ML.FeatureType.DateTime && ((DateTime?[])c.Values).All(v => v is not null)).Values)
        .Select(t => t!.Value).ToList();

    private static async Task<List<JsonNode>> AllPredictionsAsync(HttpClient admin, string slug, Guid? runId)
    {
        var rows = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var node = await (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/predictions?pageSize=1000&page={page}{(runId is { } r ? $"&runId={r}" : "")}")).ReadNodeAsync();
            var items = node["items"]!.AsArray();
            rows.AddRange(items.Select(i => i!));
            if (items.Count < 1000) return rows;
        }
    }

    private static async Task<long> CountAsync(HttpClient admin, string url)
    {
        var response = await admin.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.ReadNodeAsync())["totalCount"]!.GetValue<long>();
    }

    private static async Task<Guid> StartAsync(HttpClient admin, string url, object body)
    {
        var response = await admin.PostJsonAsync(url, body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["runId"]!.GetValue<Guid>();
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");
}

public sealed class ScoringTestsOnSqlite(RetrainFixture<Sqlite> fixture) : ScoringTests<Sqlite>(fixture);

public sealed class ScoringTestsOnPostgres(RetrainFixture<Postgres> fixture) : ScoringTests<Postgres>(fixture);
