using System.Globalization;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.ML;
using ControlPlane.ML.Monitoring;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.Benchmarks.RealData;

/// <summary>
/// Does drift monitoring tell a stable tenant from a shifted one on real data (issue 17, decision 0045)? Models trained by
/// the product on real public data (R's modeldata, split into tenants as the model-quality benchmark does) are judged by
/// the product's drift code on windows of real rows: a stable stream (windows drawn from the tenant's own held-out rows),
/// a shifted stream (windows drawn from another tenant's rows — a real population shift whose size is measured on all its
/// rows), and a time-split stream with a date-time feature (Chicago ridership, 30-day windows of the newest days). The
/// same windows are judged by the rules before decision 0045 (textbook PSI over 20 bins, unadjusted p-values, 30 % of
/// the features, no persistence), in the same run.
/// </summary>
public sealed class DriftNoiseScenario : IScenario
{
    private const int Windows = 30;
    private const int Seed = 20261207;
    private static readonly int[] Sizes = [100, 250];
    private static readonly (string UseCase, string[] Tenants)[] Populations =
    [
        ("so-remote", ["united-states", "united-kingdom", "germany", "india"]),
        ("lc-default", ["ca", "tx", "ny", "fl"]),
    ];

    public string Name => "drift-noise";
    public string Title => "Drift on real data: a stable tenant stays healthy, a shifted one is found, the time is no drift";

    public string Description =>
        "Each tenant's model is trained by the product (`ModelTrainer`, default hyperparameters) on its train.csv; drift is judged by the product's code " +
        $"(`TrainedModel.DriftWindows`, the window status of `DriftChecks`, the persistence of `DriftHealthUpdater`, policy defaults) on {Windows} windows of " +
        $"{string.Join(" and ", Sizes)} rows. Each tenant's rows (train.csv and test.csv) are split in halves by a seeded draw: the model learns from one, the other is " +
        "its stream. **Stable**: windows drawn (seeded, without repeating a row) from the half the model never saw. **Shifted**: windows drawn from " +
        "another tenant's rows, scored by this tenant's model; the shift's size is the largest corrected PSI of a feature between the model's baselines and all " +
        "of the other tenant's rows (≥ 0.25: shifted; < 0.1: similar). **Time-split**: Chicago ridership (a date-time feature, the event time) trained on " +
        "2001–2013 and judged on 30-day windows of the newest 20 % of days. The anchor is the rule set before decision 0045, judged on the same windows in " +
        "the same run. Intervals: Wilson 95 %.";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var folder = Path.Combine(settings.WorkFolder, "drift-noise-data");
        Directory.CreateDirectory(folder);
        Console.WriteLine("  preparing the real data (Rscript modeldata)…");
        var manifest = await RealDataManifest.PrepareAsync(folder, ct);
        var thresholds = new DriftThresholds();
        var notes = new List<string>();
        var stable = new Dictionary<int, Counts>();
        var shifted = new Dictionary<int, Counts>();
        var similar = new Dictionary<int, Counts>();
        var found = new List<string>();
        Timing? judgeTiming = null, floorTiming = null;

        foreach (var (key, slugs) in Populations)
        {
            var useCase = manifest.UseCases.Single(u => u.Key == key);
            var tenants = new List<(RealTenant Tenant, TrainedModel Model, RawTable Test, RawTable All)>();
            foreach (var slug in slugs)
            {
                var tenant = useCase.Tenants.Single(t => t.Slug == slug);
                Console.WriteLine($"  training {key}/{slug} (half of {tenant.Rows} rows)…");
                var (model, test, all) = await TrainAsync(useCase, tenant, halves: true, ct);
                tenants.Add((tenant, model, test, all));
            }

            foreach (var size in Sizes)
            {
                foreach (var (tenant, model, test, _) in tenants.Where(t => t.Test.RowCount >= size))
                {
                    var windows = Draw(test.RowCount, size, Seed + size);
                    var judged = Judge(model, test, windows, thresholds);
                    Add(stable, size, judged);
                    if (judgeTiming is null && size == 100)
                    {
                        judgeTiming = await Timing.MeasureAsync(() => { model.DriftWindows(test, windows, thresholds); return Task.CompletedTask; }, runs: 5, warmup: 1);
                        var rows = RawTableRows.Select(test, [.. windows.SelectMany(w => w)]);
                        floorTiming = await Timing.MeasureAsync(() => { model.Score(rows); return Task.CompletedTask; }, runs: 5, warmup: 1);
                    }
                }

                foreach (var (tenant, model, _, _) in tenants)
                {
                    foreach (var other in tenants.Where(o => o.Tenant != tenant))
                    {
                        var rows = Core.Serving.BatchScorer.Align(other.All, model, out var error) ?? throw new InvalidOperationException(error);
                        var size0 = Largest(model, rows, thresholds);
                        if (size0.Psi is >= 0.1 and < 0.25)
                        {
                            continue; // neither clearly the same population nor clearly shifted
                        }

                        var judged = Judge(model, rows, Draw(rows.RowCount, size, Seed + size + 1), thresholds);
                        Add(size0.Psi >= 0.25 ? shifted : similar, size, judged);
                        if (size0.Psi >= 0.25 && size == 100)
                        {
                            var first = judged.FirstDrift;
                            found.Add(string.Create(CultureInfo.InvariantCulture,
                                $"{key}: {tenant.Slug}'s model on {other.Tenant.Slug}'s rows — largest shift {size0.Feature} PSI {size0.Psi:0.00}; " +
                                $"{(first is { } f ? $"verdict drift at window {f.Window} naming {f.Note}" : $"no drift verdict in 30 windows (watch from window {judged.FirstNoticed?.ToString(CultureInfo.InvariantCulture) ?? "never"})")}"));
                        }
                    }
                }
            }
        }

        var chicago = await TimeSplitAsync(manifest, thresholds, ct);
        notes.AddRange(Summary(stable, shifted, similar));
        notes.Add("Shifted pairs at 100 rows per window: " + string.Join(" · ", found) + ".");
        notes.AddRange(chicago);

        var floors = new List<Measurement> { new("floor: score the 30 windows' rows (rules + model)", "memory", floorTiming!, 1) };
        var results = new List<Measurement>
        {
            new("drift of 30 windows × 100 rows (rules, PSI with bootstrap intervals, tests, Holm)", "memory", judgeTiming!, judgeTiming!.MedianMs / floorTiming!.MedianMs),
        };
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    /// <summary>What one stream of windows gave: per window the new and the old status, and the new persistent verdict.</summary>
    private sealed record Judged(string[] Now, string[] Before, string[] Verdict, (int Window, string Note)? FirstDrift)
    {
        /// <summary>The first window (1-based) whose verdict is watch or drift, or null.</summary>
        public int? FirstNoticed
        {
            get
            {
                var first = Array.FindIndex(Verdict, v => v != DriftHealthUpdater.Ok);
                return first < 0 ? null : first + 1;
            }
        }
    }

    private sealed class Counts
    {
        public int Streams, Windows, WindowsFlaggedNow, WindowsFlaggedBefore, WindowsDriftBefore, VerdictNotHealthy, VerdictDrift, StreamsHealthyThroughout,
            StreamsFoundWithin2, StreamsFound, StreamsNoticedWithin2;
    }

    private static void Add(Dictionary<int, Counts> all, int size, Judged judged)
    {
        var c = all.TryGetValue(size, out var existing) ? existing : all[size] = new Counts();
        c.Streams++;
        c.Windows += judged.Now.Length;
        c.WindowsFlaggedNow += judged.Now.Count(s => s is "warning" or "drift");
        c.WindowsFlaggedBefore += judged.Before.Count(s => s is "warning" or "drift");
        c.WindowsDriftBefore += judged.Before.Count(s => s == "drift");
        c.VerdictNotHealthy += judged.Verdict.Count(v => v != DriftHealthUpdater.Ok);
        c.VerdictDrift += judged.Verdict.Count(v => v == DriftHealthUpdater.Drifting);
        c.StreamsHealthyThroughout += judged.Verdict.All(v => v == DriftHealthUpdater.Ok) ? 1 : 0;
        c.StreamsFound += judged.FirstDrift is not null ? 1 : 0;
        c.StreamsFoundWithin2 += judged.FirstDrift is { Window: <= 2 } ? 1 : 0;
        c.StreamsNoticedWithin2 += judged.FirstNoticed is <= 2 ? 1 : 0;
    }

    private static IEnumerable<string> Summary(Dictionary<int, Counts> stable, Dictionary<int, Counts> shifted, Dictionary<int, Counts> similar)
    {
        foreach (var size in Sizes)
        {
            var s = stable[size];
            yield return string.Create(CultureInfo.InvariantCulture,
                $"**Stable, {size} rows per window** ({s.Streams} tenants × {Windows} windows): verdict healthy in {Share(s.Windows - s.VerdictNotHealthy, s.Windows)} of windows, " +
                $"drift verdicts {Share(s.VerdictDrift, s.Windows)}; {s.StreamsHealthyThroughout} of {s.Streams} tenants healthy all {Windows} windows. Windows flagged " +
                $"(warning or drift) now {Share(s.WindowsFlaggedNow, s.Windows)}, before {Share(s.WindowsFlaggedBefore, s.Windows)} (drift before: {Share(s.WindowsDriftBefore, s.Windows)}).");
            if (shifted.TryGetValue(size, out var d))
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"**Shifted, {size} rows per window** ({d.Streams} tenant pairs, a feature's PSI ≥ 0.25): drift verdict within 2 windows in {Share(d.StreamsFoundWithin2, d.Streams)} " +
                    $"of pairs, within {Windows} in {Share(d.StreamsFound, d.Streams)}; watch or drift within 2 windows in {Share(d.StreamsNoticedWithin2, d.Streams)}; windows flagged now {Share(d.WindowsFlaggedNow, d.Windows)}, before {Share(d.WindowsFlaggedBefore, d.Windows)}.");
            }

            if (similar.TryGetValue(size, out var m))
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"**Similar populations, {size} rows per window** ({m.Streams} tenant pairs, every feature's PSI < 0.1): drift verdicts in {Share(m.VerdictDrift, m.Windows)} of windows; " +
                    $"windows flagged now {Share(m.WindowsFlaggedNow, m.Windows)}, before {Share(m.WindowsFlaggedBefore, m.Windows)}.");
            }
        }
    }

    /// <summary>"12 of 120 (10 %, 95 % interval 5.9–16.7 %)".</summary>
    private static string Share(int k, int n)
    {
        var (low, high) = Wilson(k, n);
        return string.Create(CultureInfo.InvariantCulture, $"{k} of {n} ({100.0 * k / Math.Max(n, 1):0.#} %, 95 % interval {100 * low:0.#}–{100 * high:0.#} %)");
    }

    private static (double Low, double High) Wilson(int k, int n)
    {
        if (n == 0)
        {
            return (0, 1);
        }

        const double z = 1.96;
        var p = (double)k / n;
        var centre = (p + (z * z / (2 * n))) / (1 + (z * z / n));
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z * z / (4.0 * n * n))) / (1 + (z * z / n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Windows judged now and before, and the persistent verdict window by window.</summary>
    private static Judged Judge(TrainedModel model, RawTable rows, IReadOnlyList<int[]> windows, DriftThresholds thresholds, int spanDays = 1)
    {
        var results = model.DriftWindows(rows, windows, thresholds, spanDays: windows.Select(_ => (int?)spanDays).ToArray());
        var persistence = MonitoringSettings.Defaults.DriftPersistence;
        var now = new string[results.Count];
        var before = new string[results.Count];
        var verdict = new string[results.Count];
        var stored = new List<DriftWindow>();
        (int, string)? first = null;
        for (var w = 0; w < results.Count; w++)
        {
            var inputs = results[w].Where(f => f.Feature != ModelBaselines.Prediction).ToList();
            var prediction = results[w].FirstOrDefault(f => f.Feature == ModelBaselines.Prediction);
            now[w] = DriftChecks.DatasetStatus(inputs, prediction, thresholds);
            before[w] = Before(inputs);
            stored.Insert(0, new DriftWindow
            {
                Source = "batch", Day = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(w), Status = now[w],
                Features = [.. results[w].Select(f => new DriftFeatureResult { Feature = f.Feature, Kind = "number", Status = DriftStatusText.Of(f.Status), Psi = f.Psi })],
            });
            var (aspect, note, _) = DriftHealthUpdater.Aspect(stored.Take(persistence).ToList(), persistence);
            verdict[w] = aspect;
            if (aspect == DriftHealthUpdater.Drifting && first is null)
            {
                first = (w + 1, note?.Split(" — ")[0] ?? "");
            }
        }

        return new Judged(now, before, verdict, first);
    }

    /// <summary>The window's status under the rules before decision 0045: textbook PSI over the baseline's bins, unadjusted p, 30 % of the features.</summary>
    private static string Before(IReadOnlyList<FeatureDrift> inputs)
    {
        var statuses = inputs.Where(f => f.Status is not (DriftStatus.NoData or DriftStatus.Skipped) && f.CurrentShares.Count > 0).Select(f =>
        {
            var psi = DriftStatistics.Psi(f.BaselineShares, f.CurrentShares);
            return psi >= 0.2 && f.PValue < 0.01 ? "drift" : psi >= 0.1 ? "warning" : "ok";
        }).ToList();
        if (statuses.Count == 0)
        {
            return "skipped";
        }

        return statuses.Count(s => s == "drift") >= 0.3 * statuses.Count ? "drift" : statuses.Any(s => s != "ok") ? "warning" : "ok";
    }

    /// <summary>The feature that moves most between the model's baselines and all of <paramref name="rows"/> (corrected PSI).</summary>
    private static (string Feature, double Psi) Largest(TrainedModel model, RawTable rows, DriftThresholds thresholds)
    {
        var all = model.DriftWindows(rows, [Enumerable.Range(0, rows.RowCount).ToArray()], thresholds)[0];
        var top = all.Where(f => f.Feature != ModelBaselines.Prediction && f.Psi is not null).MaxBy(f => f.Psi!.Value);
        return top is null ? ("none", 0) : (top.Feature, top.Psi!.Value);
    }

    /// <summary>Chicago: each station's model reads the date (the event time); 30-day windows of the newest days.</summary>
    private static async Task<IReadOnlyList<string>> TimeSplitAsync(RealDataManifest manifest, DriftThresholds thresholds, CancellationToken ct)
    {
        var useCase = manifest.UseCases.Single(u => u.Key == "chicago-riders");
        var lines = new List<string>();
        int windows = 0, dateFlags = 0, rawDrift = 0, flagged = 0, notHealthy = 0;
        var flaggedFeatures = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tenant in useCase.Tenants.Take(4))
        {
            Console.WriteLine($"  training chicago-riders/{tenant.Slug}…");
            var (model, test, _) = await TrainAsync(useCase, tenant, halves: false, ct);
            var dates = (DateTime?[])test.Columns.Single(c => c.Name == useCase.EventTime).Values;
            var order = Enumerable.Range(0, test.RowCount).OrderBy(i => dates[i]).ToArray();
            var spans = order.Chunk(30).Where(c => c.Length == 30).ToList();
            var judged = Judge(model, test, spans, thresholds with { MinRows = 30 }, spanDays: 30);
            var results = model.DriftWindows(test, spans, thresholds with { MinRows = 30 }, spanDays: spans.Select(_ => (int?)30).ToArray());
            windows += spans.Count;
            flagged += judged.Now.Count(s => s is "warning" or "drift");
            notHealthy += judged.Verdict.Count(v => v != DriftHealthUpdater.Ok);
            foreach (var feature in results.SelectMany(r => r).Where(f => f.Status is DriftStatus.Warning or DriftStatus.Drift))
            {
                flaggedFeatures[feature.Feature] = flaggedFeatures.GetValueOrDefault(feature.Feature) + 1;
                dateFlags += feature.Feature.StartsWith(useCase.EventTime + ".", StringComparison.Ordinal) ? 1 : 0;
            }

            // The raw timestamp, as it was monitored when the issue was filed: training days against each window's days.
            var trainSeconds = Seconds(await RealDataProduct.ReadAsync(tenant.Train, model.InputColumns, ct), useCase.EventTime!);
            var baseline = Baselines.Number(useCase.EventTime!, trainSeconds);
            var testSeconds = Seconds(test, useCase.EventTime!);
            rawDrift += spans.Count(span => Drift.Number(baseline, span.Select(i => testSeconds[i]).ToArray(), thresholds with { MinRows = 30 }).Status == DriftStatus.Drift);
        }

        var top = string.Join(", ", flaggedFeatures.OrderByDescending(f => f.Value).Take(5).Select(f => $"{f.Key} {f.Value}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"**Time-split with a date-time feature** (Chicago ridership, 4 stations, {windows} windows of 30 days): the date's monitored parts " +
            $"(day of week, weekend; a 30-day window is too short for day of month, month and day of year) were flagged in {dateFlags} window-features; " +
            $"the raw timestamp, as monitored when the issue was filed, drifts in {Share(rawDrift, windows)} of windows. Windows flagged {Share(flagged, windows)}, " +
            $"verdict not healthy {Share(notHealthy, windows)} — real changes over 2013–2016: the ridership two weeks before (a trend over years) and the baseball seasons " +
            $"(a 30-day window in winter has no games); most flagged features {top}."));
        return lines;
    }

    private static double[] Seconds(RawTable table, string column) =>
        ((DateTime?[])table.Columns.Single(c => c.Name == column).Values).Select(d => d is { } v ? (v - DateTime.UnixEpoch).TotalSeconds : double.NaN).ToArray();

    /// <summary>
    /// The tenant's model trained by the product, the rows it is judged on, and all its rows, typed as the model reads
    /// them. <paramref name="halves"/>: train.csv and test.csv together split in seeded halves (the stream is the half never
    /// learnt from); otherwise train.csv learnt and test.csv (its newest days, for a time-split use case) the stream.
    /// </summary>
    private static async Task<(TrainedModel Model, RawTable Stream, RawTable All)> TrainAsync(RealUseCase useCase, RealTenant tenant, bool halves, CancellationToken ct)
    {
        var types = RealDataProduct.Types(useCase, tenant).Select(t => new RawColumn(t.Key, t.Value)).ToList();
        var all = RawTableRows.Concat([await RealDataProduct.ReadAsync(tenant.Train, types, ct), await RealDataProduct.ReadAsync(tenant.Test, types, ct)]);
        var trainRows = tenant.TrainRows;
        var order = Enumerable.Range(0, all.RowCount).ToArray();
        if (halves)
        {
            new Random(Seed).Shuffle(order);
            trainRows = all.RowCount / 2;
        }

        var learnt = RawTableRows.Select(all, order[..trainRows]);
        var stream = RawTableRows.Select(all, order[trainRows..]);
        var raw = tenant.Renames.ToDictionary(r => r.Value, r => r.Key, StringComparer.Ordinal);
        var rules = new RuleSet
        {
            EntityKey = useCase.EntityKey, EventTime = useCase.EventTime,
            Label = useCase.Positive is { } positive ? new LabelRule { Source = useCase.Label, Positive = [positive] } : new LabelRule { Source = useCase.Label },
            Features = [.. useCase.Features.Select(f => new FeatureRule { Name = f.Name, Source = raw.GetValueOrDefault(f.Name, f.Name), Type = RealDataProduct.Type(f.Type) })],
        };
        var model = ModelTrainer.Train(learnt, rules, RealDataProduct.Task(useCase),
            new TrainingSettings { TimeBudget = TimeSpan.FromSeconds(10), Folds = 2, DefaultHyperparametersOnly = true, ExplainedRows = 5 }, ct: ct);
        RawTable Aligned(RawTable table) => Core.Serving.BatchScorer.Align(table, model, out var error) ?? throw new InvalidOperationException(error);
        return (model, Aligned(stream), Aligned(all));
    }

    /// <summary>Windows of <paramref name="size"/> distinct row indices (a row at most once per window) drawn from <paramref name="rows"/> rows.</summary>
    private static IReadOnlyList<int[]> Draw(int rows, int size, int seed)
    {
        var random = new Random(seed + rows);
        return Enumerable.Range(0, Windows).Select(_ =>
        {
            var order = Enumerable.Range(0, rows).ToArray();
            random.Shuffle(order);
            return order[..Math.Min(size, rows)];
        }).ToArray();
    }
}
