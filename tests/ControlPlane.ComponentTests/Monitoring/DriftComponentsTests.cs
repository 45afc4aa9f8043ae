using Bunit;
using ControlPlane.Core.Monitoring;
using ControlPlane.ML.Monitoring;
using ControlPlane.Web.Components.Monitoring;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests.Monitoring;

/// <summary>The drift dashboard's parts: features ranked with the drifting one first and "no data" last, trends, histograms.</summary>
public sealed class DriftComponentsTests : BunitContext, IAsyncLifetime
{
    public DriftComponentsTests()
    {
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    private static FeatureDrift Feature(string name, DriftStatus status, double? psi, string? reason = null) =>
        new(name, BaselineKind.Number, 500, 0, psi, psi is null ? null : "ks", psi is null ? null : 0.21, psi is null ? null : 0.00001,
            status, reason, ["≤ 1", "≤ 2", "> 2"], [0.5, 0.4, 0.1], [0.2, 0.3, 0.5]);

    private static IReadOnlyList<DriftPoint> Trend(params double?[] psi) =>
        psi.Select((p, i) => new DriftPoint(new DateOnly(2026, 11, 1).AddDays(i), p, p is null ? DriftStatus.NoData : DriftStatus.Ok)).ToArray();

    [Fact]
    public void Features_are_ranked_drift_first_and_no_data_last_with_status_psi_and_trend()
    {
        var rows = new[]
        {
            new DriftFeatureRow(Feature("country", DriftStatus.Ok, 0.02), Trend(0.01, 0.02)),
            new DriftFeatureRow(Feature("pages_viewed", DriftStatus.NoData, null, "all 40 rows in this window are missing"), Trend(0.05, null)),
            new DriftFeatureRow(Feature("company_size", DriftStatus.Drift, 0.93, "PSI 0.93 ≥ 0.2"), Trend(0.02, 0.4, 0.93)),
            new DriftFeatureRow(Feature("industry", DriftStatus.Warning, 0.12), Trend(0.1, 0.12)),
        };

        var cut = Render<DriftFeatureTable>(p => p.Add(x => x.Rows, rows));

        Assert.Equal(["company_size", "industry", "country", "pages_viewed"], cut.FindAll("[data-feature]").Select(e => e.GetAttribute("data-feature")));
        Assert.Equal(["drift", "warning", "ok", "no data"], cut.FindAll("[data-drift-status]").Select(e => e.GetAttribute("data-drift-status")));
        Assert.Contains("0.930", cut.Markup, StringComparison.Ordinal);
        var sparkline = cut.FindAll("svg.drift-sparkline")[0];
        Assert.Equal("PSI by day: 2026-11-01 0.020, 2026-11-02 0.400, 2026-11-03 0.930", sparkline.GetAttribute("aria-label"));
        // Its scale is written: the top (the largest PSI shown) and the drift line's value.
        Assert.Equal("0.93", sparkline.QuerySelector("[data-scale-top]")!.TextContent);
        Assert.Equal("0.2", sparkline.QuerySelector("[data-scale-threshold]")!.TextContent);
        // A day without data breaks the line instead of drawing a zero.
        Assert.Single(cut.FindAll("svg.drift-sparkline")[3].QuerySelectorAll("polyline"));
    }

    [Fact]
    public void A_row_click_selects_its_feature()
    {
        string? selected = null;
        var cut = Render<DriftFeatureTable>(p => p
            .Add(x => x.Rows, [new DriftFeatureRow(Feature("company_size", DriftStatus.Drift, 0.9), Trend(0.9))])
            .Add(x => x.OnSelect, (string f) => selected = f));

        cut.Find("tbody tr").Click();

        Assert.Equal("company_size", selected);
    }

    [Fact]
    public void The_histogram_sets_training_beside_the_window_in_percent_and_says_no_data_instead_of_a_chart()
    {
        var cut = Render<DriftHistogram>(p => p.Add(x => x.Drift, Feature("company_size", DriftStatus.Drift, 0.93)));

        Assert.Equal(["Training", "This window"], cut.Instance.Series.Select(s => s.Name));
        Assert.Equal([50d, 40d, 10d], cut.Instance.Series[0].Data.Values);
        Assert.Equal([20d, 30d, 50d], cut.Instance.Series[1].Data.Values);
        Assert.Empty(cut.FindAll("[data-no-data]"));

        var empty = Render<DriftHistogram>(p => p.Add(x => x.Drift,
            new FeatureDrift("pages_viewed", BaselineKind.Number, 40, 40, null, null, null, null, DriftStatus.NoData, "all 40 rows in this window are missing", [], [], [])));

        Assert.Contains("No data: all 40 rows in this window are missing", empty.Find("[data-no-data]").TextContent, StringComparison.Ordinal);
        Assert.Contains("no data", empty.Find("[data-drift-status]").TextContent, StringComparison.Ordinal);
    }
}
