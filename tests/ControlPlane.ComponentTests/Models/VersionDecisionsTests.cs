using Bunit;
using ControlPlane.Core.Registry;
using ControlPlane.ML.Training;
using ControlPlane.Web.Components.Models;

namespace ControlPlane.ComponentTests.Models;

/// <summary>
/// The version page shows how the version was judged: validation and test metrics with their intervals, each comparison
/// on the validation rows with its verdict, the own-or-pooled reason, the leakage checks and the reliability diagram.
/// </summary>
public sealed class VersionDecisionsTests : ModelsTestContext
{
    private const string Tenant = "acme-judged";

    [Fact]
    public async Task Intervals_comparisons_and_the_reliability_diagram_are_shown()
    {
        await EnrollAsync(Tenant);
        var report = Judged(Reports.Binary(auc: 0.82));
        await RegisterAsync(Tenant, report);

        var cut = RenderVersion(1);

        Assert.Equal("[0.7800, 0.8600]", cut.Find("#metrics-table tr[data-metric='auc'] [data-interval='auc']").TextContent);
        Assert.Equal("[0.7500, 0.8700]", cut.Find("#validation-metrics-table tr[data-metric='auc'] [data-interval='auc']").TextContent);
        Assert.Contains("0.410", cut.Find("#metrics-table tr[data-metric='threshold']").TextContent, StringComparison.Ordinal);
        var pooled = cut.Find("#comparisons tr[data-rival='pooled v2']");
        Assert.Equal(("pooled", "better"), (pooled.GetAttribute("data-kind"), pooled.GetAttribute("data-verdict")));
        Assert.Contains("[0.0300, 0.1300]", pooled.TextContent, StringComparison.Ordinal);
        Assert.Equal("withinnoise", cut.Find("#comparisons tr[data-rival='v3']").GetAttribute("data-verdict"));
        Assert.Equal("false", cut.Find("#leakage").GetAttribute("data-suspected"));
        Assert.NotEmpty(cut.FindAll("#leak-none"));
        Assert.Equal(2, cut.FindAll("#feature-signals [data-bar-group]").Count);
        Assert.Equal("3", cut.Find("#calibration-chart g[data-series='v1']").GetAttribute("data-points"));
        Assert.Contains("Observed share of positives", cut.Find("#calibration-chart").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suspected_leak_is_named_with_its_evidence()
    {
        await EnrollAsync(Tenant);
        var report = Judged(Reports.Binary(auc: 0.999)) with
        {
            Leakage = new LeakageReport(true,
                [new LeakFinding(LeakChecks.SingleFeature, "closed_reason", 0.995, 0.98, "'closed_reason' alone gives AUC 0.995 on the 120 validation rows (suspect from 0.980): is it known only after the outcome?")],
                [new FeatureSignal("closed_reason", "auc", 0.995), new FeatureSignal("tenure", "auc", 0.61)], []),
        };
        await RegisterAsync(Tenant, report);

        var cut = RenderVersion(1);

        Assert.Equal("true", cut.Find("#leakage").GetAttribute("data-suspected"));
        Assert.Contains("not promoted automatically", cut.Find("#leak-alert").TextContent, StringComparison.Ordinal);
        Assert.Equal("closed_reason", cut.Find("#leak-findings li").GetAttribute("data-feature"));
        Assert.Equal(VersionColors.Negative, cut.Find("#feature-signals [data-bar-group='closed_reason'] rect").GetAttribute("fill"));
    }

    [Fact]
    public async Task A_version_from_before_validation_says_what_it_lacks()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));

        var cut = RenderVersion(1);

        Assert.Contains("trained before versions were compared", cut.Find("#no-comparisons").TextContent, StringComparison.Ordinal);
        Assert.Contains("before leakage checks", cut.Find("#leakage").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.FindAll("#calibration-missing"));
    }

    private static ModelReport Judged(ModelReport report) => report with
    {
        Split = report.Split with { ValidationRows = 120 },
        Threshold = 0.41,
        Validation = report.Test with { Rows = 120, Intervals = new Dictionary<string, MetricInterval> { ["auc"] = new(0.75, 0.87) } },
        Test = report.Test with
        {
            Rows = 100, Intervals = new Dictionary<string, MetricInterval> { ["auc"] = new(0.78, 0.86) },
            Reliability = [new(0.1, 0.08, 33), new(0.4, 0.45, 33), new(0.8, 0.77, 34)],
        },
        Comparisons =
        [
            new ModelComparison(ModelComparison.Own, "this version", Guid.NewGuid().ToString(), "pooled v2", RivalKinds.Pooled,
                new PairedDifference("auc", 0.82, 0.74, 0.08, new MetricInterval(0.03, 0.13), ComparisonVerdict.Better, 120), null,
                new MetricInterval(0.78, 0.86), new MetricInterval(0.69, 0.79)),
            new ModelComparison(ModelComparison.Own, "this version", Guid.NewGuid().ToString(), "v3", RivalKinds.Champion,
                new PairedDifference("auc", 0.82, 0.81, 0.01, new MetricInterval(-0.02, 0.04), ComparisonVerdict.WithinNoise, 120), null),
        ],
        Leakage = new LeakageReport(false, [], [new FeatureSignal("tenure", "auc", 0.66), new FeatureSignal("plan", "auc", 0.58)], []),
    };

    private IRenderedComponent<VersionPage> RenderVersion(int number)
    {
        var cut = Render<VersionPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, UseCase).Add(x => x.Number, number));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#lineage")), Wait);
        return cut;
    }
}
