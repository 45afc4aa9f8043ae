using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Monitoring;

/// <summary>
/// Drift checks end to end: generated data with drift after a date is trained on, batch scored (the pipeline ends with a
/// drift check) and read back through the drift API; the same data generated without drift shows none; a window whose
/// feature is all missing is "no data", a window with too few rows is skipped with its reason.
/// </summary>
public abstract class DriftCheckTests<TProvider>(RetrainFixture<TProvider> fixture) : IClassFixture<RetrainFixture<TProvider>>
    where TProvider : IProviderKind
{
    private const string UseCase = DemoUseCaseKeys.ChurnRisk;
    private static readonly DateTime AsOf = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime DriftAfter = AsOf.AddDays(-12);
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task The_drifted_columns_drift_after_the_date_and_the_same_data_without_drift_does_not()
    {
        using var admin = App.CreateAdminClient();
        var (drifting, dataset) = await ScoredDemoTenantAsync(admin, DriftAfter);
        var (steady, _) = await ScoredDemoTenantAsync(admin, null);

        var drifted = dataset.DriftedColumns.ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(drifted);
        var report = await DriftAsync(admin, drifting);
        var windows = report["windows"]!.AsArray();
        Assert.NotEmpty(windows);
        var features = report["features"]!.AsArray();
        var driftedFeatures = features.Where(f => drifted.Contains(f!["feature"]!.GetValue<string>())).ToList();
        Assert.NotEmpty(driftedFeatures);

        // The newest window is after the date: a drifted feature drifts, and a drifting feature is ranked first (seats may
        // lead: the generator's plan shift moves seats with it).
        Assert.True(DateOnly.Parse(report["latest"]!["windowStart"]!.GetValue<string>(), CultureInfo.InvariantCulture) >= DateOnly.FromDateTime(DriftAfter));
        Assert.Contains(driftedFeatures, f => f!["status"]!.GetValue<string>() == "drift");
        Assert.Equal("drift", features[0]!["status"]!.GetValue<string>());

        // Before the date the same features do not drift (their trend points of windows well before it).
        var before = DateOnly.FromDateTime(DriftAfter.AddDays(-2));
        foreach (var feature in driftedFeatures)
        {
            var points = feature!["trend"]!.AsArray().Where(p => DateOnly.Parse(p!["day"]!.GetValue<string>(), CultureInfo.InvariantCulture) < before).ToList();
            Assert.NotEmpty(points);
            Assert.All(points, p => Assert.NotEqual("drift", p!["status"]!.GetValue<string>()));
        }

        // Health says so, naming the top feature and its PSI.
        var health = await App.WithDbAsync(db => db.EnrollmentHealth.SingleAsync(h => h.EnrollmentId == db.Enrollments.Single(e => e.Tenant!.Slug == drifting).Id));
        Assert.True(health.Drift == "drift", $"health {health.Drift}: {health.DriftNote}; windows {string.Join(", ", windows.Select(w => $"{w!["day"]} {w["windowStart"]} {w["rows"]} {w["status"]}"))}; features {string.Join("; ", features.Select(f => $"{f!["feature"]} {f["status"]}"))}");
        Assert.StartsWith(features[0]!["feature"]!.GetValue<string>() + " PSI ", health.DriftNote, StringComparison.Ordinal);
        Assert.Null(health.Decay);
        Assert.Equal(1, await App.WithDbAsync(db => db.Notifications.CountAsync(n => n.Kind == AlertKinds.Drift && n.Link!.Contains(drifting))));

        // Without drift: no window drifts, no feature's latest result does, and after more than 30 days of windows the
        // verdict is healthy (a lone warning window never lasts).
        var calm = await DriftAsync(admin, steady);
        Assert.True(calm["windows"]!.AsArray().Count(w => w!["status"]!.GetValue<string>() != "skipped") >= 30, calm["windows"]!.ToJsonString());
        Assert.All(calm["windows"]!.AsArray(), w => Assert.NotEqual("drift", w!["status"]!.GetValue<string>()));
        Assert.All(calm["features"]!.AsArray(), f => Assert.NotEqual("drift", f!["status"]!.GetValue<string>()));
        var steadyHealth = await App.WithDbAsync(db => db.EnrollmentHealth.SingleAsync(h => h.EnrollmentId == db.Enrollments.Single(e => e.Tenant!.Slug == steady).Id));
        Assert.Equal("healthy", steadyHealth.Verdict);
        Assert.Equal(0, await App.WithDbAsync(db => db.Notifications.CountAsync(n => n.Kind == AlertKinds.Drift && n.Link!.Contains(steady))));
    }

    [Fact]
    public async Task A_window_whose_feature_is_all_missing_has_no_data_and_a_window_with_too_few_rows_is_skipped_with_the_reason()
    {
        using var admin = App.CreateAdminClient();
        var slug = await HandMadeAsync(admin);
        await SetPolicyAsync(slug, MonitoringSettings.Defaults with { MinRows = 20, MaxWindowDays = 1 });
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", new { });

        var report = await DriftAsync(admin, slug);
        var windows = report["windows"]!.AsArray();
        var missingDay = Day(30);
        var smallDay = Day(31);
        Assert.Contains(windows.Single(w => w!["day"]!.GetValue<string>() == Day(10))!["status"]!.GetValue<string>(), new[] { "ok", "warning" });
        Assert.Equal("skipped", windows.Single(w => w!["day"]!.GetValue<string>() == missingDay)!["status"]!.GetValue<string>());
        var small = windows.Single(w => w!["day"]!.GetValue<string>() == smallDay)!;
        Assert.Equal("skipped", small["status"]!.GetValue<string>());
        Assert.Equal(smallDay, small["windowStart"]!.GetValue<string>());
        Assert.Equal(5, small["rows"]!.GetValue<int>());

        var seats = report["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == "seats")!;
        Assert.Equal("skipped", seats["status"]!.GetValue<string>());
        Assert.Contains("only 5 rows; tests need at least 20", seats["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var notes = report["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == "notes")!;
        Assert.Equal("no_data", notes["trend"]!.AsArray().Single(p => p!["day"]!.GetValue<string>() == missingDay)!["status"]!.GetValue<string>());
        Assert.Equal("skipped", notes["status"]!.GetValue<string>());

        // Skipped is no data in health (never drift), with the reason as its note.
        var health = await App.WithDbAsync(db => db.EnrollmentHealth.SingleAsync(h => h.EnrollmentId == db.Enrollments.Single(e => e.Tenant!.Slug == slug).Id));
        Assert.Equal("no_data", health.Drift);
        Assert.Contains("only 5 rows", health.DriftNote, StringComparison.Ordinal);

        // A wider window policy widens the small days back over earlier ones.
        await SetPolicyAsync(slug, MonitoringSettings.Defaults with { MinRows = 20, MaxWindowDays = 3 });
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/drift-checks", new { source = "batch" });
        var widened = (await DriftAsync(admin, slug))["windows"]!.AsArray().Single(w => w!["day"]!.GetValue<string>() == smallDay)!;
        Assert.Equal(Day(29), widened["windowStart"]!.GetValue<string>()); // 5 + 5 rows are too few: day 29's 20 join them
        Assert.Equal(30, widened["rows"]!.GetValue<int>());
        Assert.NotEqual("skipped", widened["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Logged_real_time_rows_are_checked_by_the_day_they_were_made_and_a_shifted_column_drifts()
    {
        using var admin = App.CreateAdminClient();
        var slug = await HandMadeAsync(admin);
        await SetPolicyAsync(slug, MonitoringSettings.Defaults with { MinRows = 20, MaxWindowDays = 1 });
        var day = new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);
        await App.WithDbAsync(async db =>
        {
            var enrollment = await db.Enrollments.Where(e => e.Tenant!.Slug == slug).Select(e => e.Id).SingleAsync();
            var champion = await db.ModelAliases.Where(a => a.EnrollmentId == enrollment && a.Name == "champion").Select(a => a.ModelVersionId).SingleAsync();
            for (var i = 0; i < 60; i++)
            {
                // Day one as in training; day two with seats far beyond anything trained on.
                var seats = i < 30 ? i * 17 % 40 + 1 : 500 + i;
                db.PredictionLog.Add(new PredictionLogEntry
                {
                    EnrollmentId = enrollment, Source = PredictionSources.RealTime, At = day.AddDays(i / 30).AddMinutes(i), EntityKey = $"a{i}",
                    ModelVersionId = champion, Score = 0.3, Label = "false",
                    Inputs = $$"""{"Account": "a{{i}}", "Seats": {{seats}}, "Notes": "asked about pricing"}""",
                });
            }

            return await db.SaveChangesAsync();
        });

        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/drift-checks", new { source = "realtime" });

        var report = await DriftAsync(admin, slug, PredictionSources.RealTime);
        var windows = report["windows"]!.AsArray();
        Assert.Equal(["2026-03-10", "2026-03-11"], windows.Select(w => w!["day"]!.GetValue<string>()));
        Assert.All(windows, w => Assert.Equal(30, w!["rows"]!.GetValue<int>()));
        var seatsTrend = report["features"]!.AsArray().Single(f => f!["feature"]!.GetValue<string>() == "seats")!["trend"]!.AsArray();
        Assert.NotEqual("drift", seatsTrend[0]!["status"]!.GetValue<string>());
        Assert.Equal("drift", seatsTrend[1]!["status"]!.GetValue<string>());
        Assert.Empty((await DriftAsync(admin, slug))["windows"]!.AsArray()); // the batch source was not scored
    }

    [Fact]
    public async Task A_check_with_nothing_scored_since_the_last_keeps_its_windows_and_a_new_score_or_policy_recomputes_them()
    {
        using var admin = App.CreateAdminClient();
        var slug = await HandMadeAsync(admin);
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", new { }); // ends with a drift check
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, UseCase);
        // The score finished minutes ago (past the minute's margin for clock skew and buffered writes).
        await App.WithDbAsync(db => db.PredictionPartitions.Where(p => p.EnrollmentId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.CompletedAt, DateTime.UtcNow.AddMinutes(-5))));
        Task<DriftCheckResult> CheckAsync() => App.WithScopeAsync(sp => sp.GetRequiredService<DriftChecks>().CheckAsync(id, PredictionSources.Batch, null, CancellationToken.None));
        Task<List<DateTime>> CheckedAtAsync() => App.WithDbAsync(db => db.DriftWindows.Where(w => w.EnrollmentId == id && w.Source == PredictionSources.Batch)
            .Select(w => w.CheckedAt).Distinct().ToListAsync());
        var checkedBefore = await CheckedAtAsync();
        var windowsBefore = await App.WithDbAsync(db => db.DriftWindows.CountAsync(w => w.EnrollmentId == id && w.Source == PredictionSources.Batch));

        var unchanged = await CheckAsync();

        Assert.Equal(0, unchanged.Windows);
        Assert.StartsWith("Nothing scored since the check at ", unchanged.Message, StringComparison.Ordinal);
        Assert.Equal(DateTime.Parse(Day(31), CultureInfo.InvariantCulture), unchanged.Day);
        Assert.NotNull(unchanged.Status);
        Assert.Equal(checkedBefore, await CheckedAtAsync()); // nothing was recomputed or rewritten

        // An edited policy recomputes every window.
        await SetPolicyAsync(slug, MonitoringSettings.Defaults with { MinRows = 10 });
        var afterPolicy = await CheckAsync();
        Assert.Equal(windowsBefore, afterPolicy.Windows);
        Assert.DoesNotContain(checkedBefore.Single(), await CheckedAtAsync());

        // So does a score completed after the check (here: the partition's completion moved past it).
        Assert.Equal(0, (await CheckAsync()).Windows);
        await App.WithDbAsync(db => db.PredictionPartitions.Where(p => p.EnrollmentId == id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.CompletedAt, DateTime.UtcNow.AddSeconds(1))));
        Assert.Equal(windowsBefore, (await CheckAsync()).Windows);
    }

    [Fact]
    public async Task A_check_recomputes_only_the_days_with_rows_new_since_the_last_one()
    {
        using var admin = App.CreateAdminClient();
        var slug = await HandMadeAsync(admin);
        await SetPolicyAsync(slug, MonitoringSettings.Defaults with { MinRows = 20, MaxWindowDays = 1 });
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, UseCase);
        var today = DateTime.UtcNow.Date;
        Task LogAsync(DateTime from, int count) => LogRealTimeAsync(id, Enumerable.Range(0, count).Select(i => (from.AddMilliseconds(i), i)));
        Task<DriftCheckResult> CheckAsync() => App.WithScopeAsync(sp => sp.GetRequiredService<DriftChecks>().CheckAsync(id, PredictionSources.RealTime, null, CancellationToken.None));
        Task<Dictionary<DateTime, DateTime>> CheckedAsync() => App.WithDbAsync(db => db.DriftWindows.Where(w => w.EnrollmentId == id && w.Source == PredictionSources.RealTime)
            .ToDictionaryAsync(w => w.Day, w => w.CheckedAt));
        await LogAsync(today.AddDays(-3).AddHours(9), 30);
        await LogAsync(today.AddDays(-2).AddHours(9), 30);
        Assert.Equal(2, (await CheckAsync()).Windows);
        var first = await CheckedAsync();

        await LogAsync(DateTime.UtcNow, 30); // today's traffic, logged after that check
        var second = await CheckAsync();

        Assert.Equal((1, today), (second.Windows, second.Day));
        var now = await CheckedAsync();
        Assert.Equal([today.AddDays(-3), today.AddDays(-2), today], now.Keys.Order());
        Assert.Equal(first[today.AddDays(-3)], now[today.AddDays(-3)]); // untouched days keep their windows
        Assert.Equal(first[today.AddDays(-2)], now[today.AddDays(-2)]);
    }

    [Fact]
    public async Task A_day_over_the_cap_of_real_time_rows_is_compared_on_the_same_uniform_sample_each_check()
    {
        using var admin = App.CreateAdminClient();
        var slug = await HandMadeAsync(admin);
        await SetPolicyAsync(slug, MonitoringSettings.Defaults with { MinRows = 20, MaxWindowDays = 1 });
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, UseCase);
        var today = DateTime.UtcNow.Date;
        await LogRealTimeAsync(id, Enumerable.Range(0, 1_000).Select(i => (today.AddSeconds(i), i))
            .Concat(Enumerable.Range(0, 60).Select(i => (today.AddDays(-1).AddSeconds(i), 10_000 + i))));

        // A cap of 100 rows a day (the setting's floor is 1,000; the reader is built here with a small one).
        Task<T> WithCapAsync<T>(Func<DriftSamples, DriftChecks, Task<T>> work) => App.WithScopeAsync(sp =>
        {
            var samples = CappedSamples(sp, 100);
            return work(samples, ActivatorUtilities.CreateInstance<DriftChecks>(sp, samples));
        });
        var target = await App.WithDbAsync(db => db.Enrollments.Where(e => e.Id == id)
            .Select(e => new DriftTarget(e.Id, e.Tenant!.Slug, e.UseCase!.Key, e.UseCaseId, e.Tenant.Region, e.UseCase.TaskType)).SingleAsync());
        List<string?> Accounts(DriftSample sample, DateTime day) =>
            [.. sample.Days[day].Rows.Select(r => sample.Table.Columns.Single(c => c.Name == "Account").Values.GetValue(r) as string)];

        var (first, second) = await WithCapAsync(async (samples, _) =>
            (await samples.RealtimeAsync(target, 1, null, CancellationToken.None), await samples.RealtimeAsync(target, 1, null, CancellationToken.None)));

        Assert.Equal((100, 1_000), (first.Days[today].Rows.Count, first.Days[today].Seen));
        Assert.Equal((60, 60), (first.Days[today.AddDays(-1)].Rows.Count, first.Days[today.AddDays(-1)].Seen)); // under the cap: every row
        Assert.Equal(100, first.Days[today].Scores.Count);
        Assert.Equal(Accounts(first, today), Accounts(second, today));
        var sampled = Accounts(first, today).Select(a => int.Parse(a![1..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(100, sampled.Distinct().Count());
        Assert.InRange(sampled.Average(), 350, 650); // spread over the day, not its first or last rows
        Assert.Equal("1 day(s) with more than 100 rows (up to 1,000) were compared on a uniform sample of 100 rows each.", first.Note);

        // The check stores the day's 1,000 rows as the window's size and compares 100 of them, and says so.
        var result = await WithCapAsync((_, checks) => checks.CheckAsync(id, PredictionSources.RealTime, null, CancellationToken.None));
        Assert.Equal(first.Note, result.Message);
        var window = await App.WithDbAsync(db => db.DriftWindows.Include(w => w.Features)
            .SingleAsync(w => w.EnrollmentId == id && w.Source == PredictionSources.RealTime && w.Day == today));
        Assert.Equal(1_000, window.Rows);
        Assert.Equal(100, window.Features.Single(f => f.Feature == "seats").Rows);
    }

    [Fact]
    public async Task Batch_scored_days_over_the_cap_are_sampled_the_same_way_each_check()
    {
        using var admin = App.CreateAdminClient();
        var (slug, _) = await ScoredDemoTenantAsync(admin, DriftAfter);
        var id = await MonitoringRows.EnrollmentIdAsync(App, slug, UseCase);
        var target = await App.WithDbAsync(db => db.Enrollments.Where(e => e.Id == id)
            .Select(e => new DriftTarget(e.Id, e.Tenant!.Slug, e.UseCase!.Key, e.UseCaseId, e.Tenant.Region, e.UseCase.TaskType)).SingleAsync());
        Task<DriftSample> ReadAsync(int cap) => App.WithScopeAsync(sp =>
            CappedSamples(sp, cap).BatchAsync(target, MonitoringSettings.Defaults.MaxWindowDays, null, CancellationToken.None));

        var whole = await ReadAsync(1_000_000);
        var a = await ReadAsync(20);
        var b = await ReadAsync(20);

        // About 100 rows a day: every day keeps 20 of them, counts them all, and the same 20 each time.
        Assert.Equal(whole.Days.Keys.Order(), a.Days.Keys.Order());
        Assert.Null(whole.Note);
        Assert.All(a.Days, d =>
        {
            Assert.Equal(Math.Min(20, whole.Days[d.Key].Rows.Count), d.Value.Rows.Count);
            Assert.Equal(Math.Min(20, whole.Days[d.Key].Scores.Count), d.Value.Scores.Count);
            Assert.Equal(whole.Days[d.Key].Rows.Count, d.Value.Seen);
            Assert.Subset(whole.Days[d.Key].Rows.ToHashSet(), d.Value.Rows.ToHashSet());
            Assert.Equal(d.Value.Rows, b.Days[d.Key].Rows);
            Assert.Equal(d.Value.Scores, b.Days[d.Key].Scores);
        });
        Assert.StartsWith($"{whole.Days.Count(d => d.Value.Rows.Count > 20)} day(s) with more than 20 rows", a.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_drift_api_names_a_bad_source_or_date_and_answers_404_for_an_unknown_enrollment()
    {
        using var admin = App.CreateAdminClient();
        var slug = await HandMadeAsync(admin);

        var bad = await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/drift?source=weekly");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("source", (await bad.ReadNodeAsync())["errors"]!.AsObject().Select(e => e.Key));
        var badDate = await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/drift?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("from", (await badDate.ReadNodeAsync())["errors"]!.AsObject().Select(e => e.Key));
        var badCheck = await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/drift-checks", new { source = "weekly" });
        Assert.Equal(HttpStatusCode.BadRequest, badCheck.StatusCode);
        Assert.Contains("source", (await badCheck.ReadNodeAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/lead-scoring/drift")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/tenants/nobody-{slug}/use-cases/{UseCase}/drift")).StatusCode);

        // Nothing scored yet: an empty report; the check run succeeds and says why it stored nothing.
        var empty = await DriftAsync(admin, slug);
        Assert.Empty(empty["windows"]!.AsArray());
        Assert.Null(empty["latest"]);
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/drift-checks", new { });
        Assert.Equal("realtime", (await DriftAsync(admin, slug, "realtime"))["source"]!.GetValue<string>());
    }

    private async Task<(string Slug, DemoDataset Dataset)> ScoredDemoTenantAsync(HttpClient admin, DateTime? driftAfter)
    {
        var slug = TestSlugs.New("drift");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Drift {slug}", slug, region = "us", useCases = new[] { UseCase } })).EnsureSuccessStatusCode();
        // Generated from a fixed name, so both tenants get the same rows apart from the drift.
        var dataset = DemoDataGenerator.Generate(UseCase, new DemoGenerationOptions
        {
            TenantSlug = "drift-check-demo", Rows = 6000, Seed = 5, AsOfUtc = AsOf, Span = TimeSpan.FromDays(60), DriftAfterUtc = driftAfter,
        });
        await RetrainTenants.AddUploadAsync(App, slug, UseCase, "data.csv", DatasetUploads.Csv(dataset));
        await RetrainTenants.SaveRulesAsync(App, slug, UseCase, await DemoRuleSet.ForAsync(dataset));
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/batch-scores", new { });
        return (slug, dataset);
    }

    /// <summary>Days 0–29: 20 rows each; day 30: 5 rows without notes; day 31: 5 rows with them. Trained, not scored.</summary>
    private async Task<string> HandMadeAsync(HttpClient admin)
    {
        var slug = TestSlugs.New("drift");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Drift {slug}", slug, region = "us", useCases = new[] { UseCase } })).EnsureSuccessStatusCode();
        var csv = new StringBuilder("Account,As Of,Churned,Seats,Notes\n");
        var row = 0;
        string[] words = ["renewal call went well", "asked about pricing", "wants more seats", "slow support reply", "happy with onboarding"];
        void Add(int day, int count, bool notes)
        {
            for (var i = 0; i < count; i++, row++)
            {
                csv.Append(FormattableString.Invariant($"a{row},{Start.AddDays(day).AddHours(i % 20):yyyy-MM-ddTHH:mm:ssZ},{(row % 3 == 0 ? "yes" : "no")},{row * 17 % 40 + 1},{(notes ? words[row * 7 % words.Length] : "")}\n"));
            }
        }

        for (var day = 0; day < 30; day++)
        {
            Add(day, 20, notes: true);
        }

        Add(30, 5, notes: false);
        Add(31, 5, notes: true);
        await RetrainTenants.AddUploadAsync(App, slug, UseCase, "accounts.csv", Encoding.UTF8.GetBytes(csv.ToString()));
        var churn = Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        await RetrainTenants.SaveRulesAsync(App, slug, UseCase, new RuleSet
        {
            EntityKey = "Account", EventTime = "As Of", Label = new LabelRule { Source = "Churned" },
            Features = [new FeatureRule { Name = "seats", Source = "Seats" }, new FeatureRule { Name = "notes", Source = "Notes", Type = FeatureType.Text }],
            Drop = churn.DefaultFeatures.Select(f => f.Name).Where(n => n != "seats").ToArray(),
        });
        await MonitoringRows.RunAsync(admin, $"/api/v1/tenants/{slug}/use-cases/{UseCase}/retrain", null);
        return slug;
    }

    /// <summary>Logs real-time predictions of the enrollment's champion: row <c>i</c> is account <c>a{i}</c>.</summary>
    private Task LogRealTimeAsync(Guid enrollment, IEnumerable<(DateTime At, int I)> rows) => App.WithDbAsync(async db =>
    {
        var champion = await db.ModelAliases.Where(a => a.EnrollmentId == enrollment && a.Name == "champion").Select(a => a.ModelVersionId).SingleAsync();
        foreach (var (at, i) in rows)
        {
            db.PredictionLog.Add(new PredictionLogEntry
            {
                EnrollmentId = enrollment, Source = PredictionSources.RealTime, At = at, EntityKey = $"a{i}", ModelVersionId = champion,
                Score = 0.3, Label = "false", Inputs = $$"""{"Account": "a{{i}}", "Seats": {{i * 17 % 40 + 1}}, "Notes": "asked about pricing"}""",
            });
        }

        return await db.SaveChangesAsync();
    });

    /// <summary>The app's drift reader with another cap on rows per day (only the cap is read from these options).</summary>
    private static DriftSamples CappedSamples(IServiceProvider services, int cap) => ActivatorUtilities.CreateInstance<DriftSamples>(
        services, Microsoft.Extensions.Options.Options.Create(new Core.Options.ControlPlaneOptions { Monitoring = { MaxRowsPerDay = cap } }));

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static string Day(int day) => Start.AddDays(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task SetPolicyAsync(string slug, MonitoringSettings settings) =>
        await MonitoringRows.SetPolicyAsync(App, await MonitoringRows.EnrollmentIdAsync(App, slug, UseCase), settings);

    private static Task<JsonNode> DriftAsync(HttpClient admin, string slug, string source = PredictionSources.Batch) =>
        MonitoringRows.DriftAsync(admin, slug, UseCase, source);
}

public sealed class DriftCheckTestsOnSqlite(RetrainFixture<Sqlite> fixture) : DriftCheckTests<Sqlite>(fixture);

public sealed class DriftCheckTestsOnPostgres(RetrainFixture<Postgres> fixture) : DriftCheckTests<Postgres>(fixture);
