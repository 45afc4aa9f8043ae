using System.Diagnostics;
using System.Globalization;
using System.Text;
using ControlPlane.Benchmarks.RealData;
using ControlPlane.ML;
using ControlPlane.ML.Training;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// Model quality on real public data that no one here generated, against an outside anchor run in the same run:
/// scikit-learn's HistGradientBoosting with default settings per tenant on the same raw columns and the same split
/// (<c>RealData/anchor.py</c>). The product goes through its real pipeline (<see cref="RealDataProduct"/>).
/// </summary>
public sealed class ModelQualityRealScenario : IScenario
{
    /// <summary>Tenants with at least this many rows are held to the tighter target.</summary>
    private const int Large = 1000;

    /// <summary>Within this much AUC below the anchor (binary) …</summary>
    private const double AucMargin = 0.01;

    /// <summary>… or this share of RMSE above it (regression), a tenant counts as matching the anchor.</summary>
    private const double RmseMargin = 0.02;

    /// <summary>Tenants this small are where the pooled path must beat their own models on average.</summary>
    private const int Small = 150;

    private static readonly Dictionary<string, string?> Configuration = new()
    {
        ["ControlPlane:Executor:Pools:training"] = "2",
        ["ControlPlane:Executor:NodeId"] = "bench-real",
        ["ControlPlane:Training:Threads"] = "1",
    };

    public string Name => "model-quality-real";
    public string Title => "Model quality on real data: the product against scikit-learn's HistGradientBoosting, per tenant";

    public string Description =>
        "Five data sets of the R package modeldata (Debian's `r-cran-modeldata`, exported by `Rscript` at benchmark time), split into tenants by a " +
        "natural column (`RealData/prepare.py`): Stack Overflow's developer survey by country (binary: works remotely; 5 tenants, 485–2,791 rows), " +
        "Lending Club loans by state (binary: bad loan; the 8 states with at least 300 loans), telecom churn by state (binary; 51 tenants of about " +
        "100 rows: the small-tenant regime), Ames house sales by neighbourhood (regression: sale price; 13 neighbourhoods with at least 100 sales, " +
        "sale month as the event time) and Chicago L ridership, one tenant per station (regression: the day's riders from weather, games, the date " +
        "and the station's riders 14 days before, each station naming that column its own way; 20 tenants of 5,684 days). Each tenant's rows are " +
        "split once, outside both contestants: the newest 20 % by event time where there is one (rows of one time never on both sides), else a " +
        "seeded 20 %, are the test rows; neither contestant sees them. **The anchor** is scikit-learn's `HistGradientBoostingClassifier` / " +
        "`Regressor` with default settings, fitted per tenant on all its other rows and the same raw columns (numbers as they are, categories as " +
        "codes with its native category support, a date as its day number and calendar parts), run by this benchmark (`RealData/anchor.py`, " +
        "Debian's `python3-sklearn`). **The product** is given the same rows as each tenant's dataset version, with that tenant's feature rules " +
        "(its own column names, its label spelling), and trained by the real `retrain-all` pipeline on one executor node with default training " +
        "settings: pooled model per region, each tenant's own model, the own-versus-pooled choice and the promotion gate on validation rows. The " +
        "test rows are scored by what serves each tenant afterwards (its champion: its own model, or the pooled model through its mapping), by the " +
        "serving components. A copy of the largest Stack Overflow tenant with a leaking column (the label as recorded after the outcome, 1 % of " +
        "entries wrong) is onboarded alone in another region: it must not be promoted. Every figure carries its 95 % bootstrap interval; " +
        "differences are paired (the same resampled rows for both).";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var c = CultureInfo.InvariantCulture;
        var folder = Directory.CreateDirectory(Path.Combine(settings.WorkFolder, "real-data")).FullName;
        var watch = Stopwatch.StartNew();
        var manifest = await RealDataManifest.PrepareAsync(folder, ct);
        var prepared = watch.Elapsed;
        Console.WriteLine($"  prepared {manifest.UseCases.Sum(u => u.Tenants.Count)} tenants in {prepared.TotalSeconds:0.0} s");

        watch.Restart();
        await Tools.RunAsync(Tools.Python, [Tools.Script("anchor.py"), Path.Combine(folder, "manifest.json")], ct);
        var anchorTime = watch.Elapsed;
        Console.WriteLine($"  anchor in {anchorTime.TotalSeconds:0.0} s");

        var outcomes = new List<(RealUseCase UseCase, RealTenant Tenant, TenantOutcome Outcome, double[] Anchor)>();
        var pools = new List<string>();
        var only = settings.Option("--use-cases")?.Split(',').ToHashSet(StringComparer.Ordinal);
        var productTime = TimeSpan.Zero;
        var dbFolder = Directory.CreateDirectory(Path.Combine(folder, "product")).FullName;
        await using (var node = await ExecutorHost.StartAsync("Sqlite", $"Data Source={Path.Combine(dbFolder, "bench.db")}", dbFolder, [], Configuration))
        {
            foreach (var useCase in manifest.UseCases.Where(u => only is null || only.Contains(u.Key)))
            {
                var tenants = await RealDataProduct.SeedAsync(node.Services, useCase, ct);
                watch.Restart();
                var pooled = await RealDataProduct.RetrainAllAsync(node, useCase.Key, ct);
                productTime += watch.Elapsed;
                pools.Add($"`{useCase.Key}`: {pooled}");
                Console.WriteLine($"  {useCase.Key}: retrain-all of {tenants.Count} tenants in {watch.Elapsed.TotalSeconds:0.0} s; {pooled}");
                foreach (var (tenant, slug) in tenants)
                {
                    outcomes.Add((useCase, tenant, await RealDataProduct.ScoreAsync(node.Services, useCase, tenant, slug, ct), Anchor(tenant)));
                }
            }
        }

        var rows = outcomes.Where(o => !o.Tenant.Leaky).Select(o => Compare(o.UseCase, o.Tenant, o.Outcome, o.Anchor, manifest.Seed)).ToList();
        var leaky = outcomes.Where(o => o.Tenant.Leaky).ToList();
        var corrections = outcomes.Where(o => !o.Tenant.Leaky && o.Outcome.Pooled is not null)
            .Select(o => PerTenantCorrection.Measure(RealDataProduct.Task(o.UseCase), o.Outcome.Champion is { Kind: "pooled" }, o.Outcome.Labels, o.Outcome.Pooled!, manifest.Seed))
            .OfType<CorrectionOutcome>().ToList();
        var notes = new List<string> { Summary(rows), SmallTenants(rows), PerTenantCorrection.Note(corrections), leaky.Count == 1 ? Leak(leaky[0]) : "", "**Pooled models** (what each retrain-all's `pooled` task said): " + string.Join("; ", pools), Table(rows) };
        var floors = new List<Measurement>
        {
            new("anchor: HistGradientBoosting, every tenant fitted and scored (python, one process)", "-", Timing.Once(anchorTime.TotalMilliseconds), 1),
        };
        var results = new List<Measurement>
        {
            new(string.Create(c, $"product: retrain-all of every use case ({outcomes.Count} tenants: pools, own models, validation, gate)"), "Sqlite",
                Timing.Once(productTime.TotalMilliseconds), productTime / anchorTime),
        };
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    private static double[] Anchor(RealTenant tenant) =>
        File.ReadAllLines(tenant.AnchorPredictions).Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();

    /// <summary>One tenant's figures: the anchor's and the product's metric on its test rows, the paired difference, and how it is served.</summary>
    private static TenantRow Compare(RealUseCase useCase, RealTenant tenant, TenantOutcome outcome, double[] anchor, int seed)
    {
        var task = RealDataProduct.Task(useCase);
        var metric = task == TaskType.Binary ? RowMetrics.Auc : RowMetrics.Rmse;
        var served = outcome.Served ?? outcome.Own;
        var product = new ScoredRows(task, outcome.Labels, served);
        var reference = new ScoredRows(task, outcome.Labels, anchor);
        var difference = Bootstrap.Paired(product, reference, metric, seed);
        var own = RowMetrics.Value(metric, new ScoredRows(task, outcome.Labels, outcome.Own), default);
        var pooled = outcome.Pooled is { } p ? RowMetrics.Value(metric, new ScoredRows(task, outcome.Labels, p), default) : (double?)null;
        var intervals = (Product: Bootstrap.Intervals(product, [metric], seed).GetValueOrDefault(metric), Anchor: Bootstrap.Intervals(reference, [metric], seed).GetValueOrDefault(metric));
        return new TenantRow(useCase.Key, tenant.Slug, tenant.Rows, tenant.TestRows, task, difference, intervals.Product, intervals.Anchor, own, pooled,
            outcome.Champion?.ToString() ?? "none", outcome.Version.ServingChoice ?? "own", outcome.Version.Report.Trainer);
    }

    /// <summary>How the product compares: for binary the AUC difference, for regression the RMSE ratio; whether it is within the margin.</summary>
    private sealed record TenantRow(
        string UseCase, string Tenant, int Rows, int TestRows, TaskType Task, PairedDifference Difference, MetricInterval? ProductInterval,
        MetricInterval? AnchorInterval, double Own, double? Pooled, string Champion, string Choice, string Trainer)
    {
        public double Product => Difference.A;
        public double Anchor => Difference.B;
        public bool Binary => Task == TaskType.Binary;
        public bool Measured => !double.IsNaN(Product) && !double.IsNaN(Anchor);

        /// <summary>Binary: product − anchor AUC; regression: product / anchor RMSE.</summary>
        public double Relative => Binary ? Product - Anchor : Product / Anchor;

        public bool Within => Binary ? Relative >= -AucMargin : Relative <= 1 + RmseMargin;
    }

    private static string Summary(IReadOnlyList<TenantRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var binary = rows.Where(r => r.Binary && r.Measured).ToList();
        var regression = rows.Where(r => !r.Binary && r.Measured).ToList();
        var large = rows.Where(r => r.Rows >= Large && r.Measured).ToList();
        var meanAuc = binary.Select(r => r.Relative).DefaultIfEmpty(double.NaN).Average();
        var meanRatio = regression.Select(r => r.Relative).DefaultIfEmpty(double.NaN).Average();
        var within = large.Count(r => r.Within);
        sb.AppendLine(c, $"**Summary ({rows.Count} tenants; {rows.Count - binary.Count - regression.Count} binary tenants whose test rows hold one class cannot be scored by AUC and are left out).**");
        sb.AppendLine();
        if (binary.Count > 0) sb.AppendLine(c, $"- Binary, {binary.Count} tenants: mean test AUC **{binary.Average(r => r.Product):0.000}** for the product against **{binary.Average(r => r.Anchor):0.000}** for the anchor — mean difference **{meanAuc:+0.000;-0.000}** ({(meanAuc >= 0 ? "at least the anchor's: target met" : "below the anchor's: target missed")}); the product is at least as good on {binary.Count(r => r.Relative >= 0)} of them, better beyond noise on {binary.Count(r => r.Difference.Verdict == ComparisonVerdict.Better)} and worse beyond noise on {binary.Count(r => r.Difference.Verdict == ComparisonVerdict.Worse)}.");
        if (regression.Count > 0) sb.AppendLine(c, $"- Regression, {regression.Count} tenants: mean ratio of test RMSE product / anchor **{meanRatio:0.000}** ({(meanRatio <= 1 ? "at most the anchor's: target met" : "above the anchor's: target missed")}); better beyond noise on {regression.Count(r => r.Difference.Verdict == ComparisonVerdict.Better)}, worse beyond noise on {regression.Count(r => r.Difference.Verdict == ComparisonVerdict.Worse)}.");
        var outside = string.Join(", ", large.Where(r => !r.Within).Select(r => string.Create(c,
            $"{r.Tenant} ({(r.Binary ? string.Create(c, $"{r.Relative:+0.000;-0.000} AUC") : string.Create(c, $"×{r.Relative:0.000} RMSE"))}, paired interval {Interval(r.Difference.Interval, signed: true)})")));
        sb.AppendLine(c, $"- Tenants with at least {Large:N0} rows ({large.Count}: {string.Join(", ", large.Select(r => r.Tenant))}): **{within} of {large.Count} ({(double)within / large.Count:P0}) within {AucMargin} AUC / {RmseMargin:P0} RMSE of the anchor** (target 90 %: {((double)within / large.Count >= 0.9 ? "met" : "missed")}).{(outside.Length > 0 ? $" Outside: {outside}." : "")}");
        sb.AppendLine(c, $"- Served: {rows.Count(r => r.Champion.StartsWith("pooled", StringComparison.Ordinal))} tenants by their region's pooled model, {rows.Count(r => r.Champion.StartsWith('v'))} by their own model, {rows.Count(r => r.Champion == "none")} by none.");
        return sb.ToString();
    }

    private static string SmallTenants(IReadOnlyList<TenantRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var small = rows.Where(r => r.Rows < Small && r.Pooled is not null && r.Binary && !double.IsNaN(r.Own) && !double.IsNaN(r.Pooled!.Value)).ToList();
        if (small.Count == 0)
        {
            return "No binary tenant under 150 rows had both an own and a pooled model to compare.";
        }

        var own = small.Average(r => r.Own);
        var pooled = small.Average(r => r.Pooled!.Value);
        return string.Create(c, $"**Smallest tenants ({small.Count} binary tenants under {Small} rows):** on their test rows the pooled path's mean AUC is **{pooled:0.000}** against **{own:0.000}** for their own models and {small.Average(r => r.Anchor):0.000} for the anchor: ") +
               (pooled > own ? "the pooled path beats their own models on average (target met)." : "the pooled path does not beat their own models on average (target missed).");
    }

    private static string Leak((RealUseCase UseCase, RealTenant Tenant, TenantOutcome Outcome, double[] Anchor) leaky)
    {
        var report = leaky.Outcome.Version.Report;
        var leak = report.Leakage;
        var promoted = leaky.Outcome.Champion is { Kind: "own" } champion && champion.Number == leaky.Outcome.Version.Summary.Number;
        return $"**Leakage guard:** `{leaky.Tenant.Slug}` (a copy of the largest Stack Overflow tenant with `remote_status_confirmed`, the label recorded after the outcome) — " +
               (leak is { Suspected: true }
                   ? $"suspected leak: {string.Join(" ", leak.Findings.Select(f => f.Message))} "
                   : "no leak suspected. ") +
               (promoted ? "**It was promoted: the guard failed.**" : $"The version was registered and **not promoted** (champion: {leaky.Outcome.Champion?.ToString() ?? "none"}).");
    }

    private static string Table(IReadOnlyList<TenantRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("Per tenant, on its test rows (metric with its 95 % interval; difference product − anchor with its paired interval; ✓ within the margin). Served: the champion after retrain-all; own / pooled: each path's metric on the same rows.\n\n");
        sb.AppendLine("| use case | tenant | rows (test) | metric | anchor | product | product − anchor | | served | own | pooled | trainer |");
        sb.AppendLine("| --- | --- | ---: | --- | ---: | ---: | ---: | :-: | --- | ---: | ---: | --- |");
        foreach (var r in rows.OrderBy(r => r.UseCase, StringComparer.Ordinal).ThenBy(r => r.Tenant, StringComparer.Ordinal))
        {
            sb.AppendLine(c, $"| {r.UseCase} | {r.Tenant} | {r.Rows:N0} ({r.TestRows:N0}) | {(r.Binary ? "AUC" : "RMSE")} | {F(r.Anchor)} {Interval(r.AnchorInterval)} | {F(r.Product)} {Interval(r.ProductInterval)} | " +
                             $"{Signed(r.Difference.Difference)} {Interval(r.Difference.Interval, signed: true)} | {(r.Measured ? r.Within ? "✓" : "✗" : "–")} | {r.Champion} | {F(r.Own)} | {(r.Pooled is { } p ? F(p) : "–")} | {r.Trainer} |");
        }

        return sb.ToString();
    }

    private static string F(double v) => double.IsNaN(v) ? "–" : Math.Abs(v) >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Signed(double v) => double.IsNaN(v) ? "–" : Math.Abs(v) >= 100 ? v.ToString("+#,0;-#,0", CultureInfo.InvariantCulture) : v.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);

    private static string Interval(MetricInterval? i, bool signed = false) =>
        i is null ? "" : signed ? $"[{Signed(i.Low)}, {Signed(i.High)}]" : $"[{F(i.Low)}, {F(i.High)}]";
}
