using Bunit;
using ControlPlane.Core.Monitoring;
using ControlPlane.ML;
using ControlPlane.Web.Components.Monitoring;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests.Monitoring;

/// <summary>The performance chart's states: data with the bands and lines, no data at all, no labels yet, and decay shown.</summary>
public sealed class PerformanceChartTests : BunitContext, IAsyncLifetime
{
    public PerformanceChartTests()
    {
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    private static PerformancePoint Day(int i, double? realized, string status, double? estimated) =>
        new(new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i), new DateTime(2026, 1, 26, 0, 0, 0, DateTimeKind.Utc).AddDays(i),
            realized, realized is null ? 12 : 80, status, realized is null ? "12 labelled predictions in the window; at least 50 are needed" : null,
            estimated, 400, estimated is null ? null : "ok", 0.8, 0.76, 0.72);

    private static PerformanceSeries Series(params PerformancePoint[] days) =>
        new("acme", "lead-scoring", TaskType.Binary, "accuracy", true, true, 0.05, 0.1, days);

    [Fact]
    public void Data_draws_realized_and_estimated_lines_the_test_metric_and_both_bands_with_a_caption()
    {
        var cut = Render<PerformanceChart>(p => p.Add(x => x.Series, Series(Day(0, 0.81, "ok", 0.8), Day(1, 0.79, "ok", 0.79), Day(2, 0.78, "ok", 0.8))));

        Assert.Equal("data", cut.Find("#performance-chart").GetAttribute("data-state"));
        Assert.Single(cut.FindAll("polyline[data-series=realized]"));
        Assert.Single(cut.FindAll("polyline[data-series=estimated]"));
        Assert.Single(cut.FindAll("polyline[data-series=expected]"));
        Assert.Single(cut.FindAll("polygon[data-band=warning]"));
        Assert.Single(cut.FindAll("polygon[data-band=decay]"));
        Assert.Equal(3, cut.FindAll("circle[data-status=ok]").Count);
        Assert.Empty(cut.FindAll("[data-no-labels]"));
        var caption = cut.Find("[data-caption]").TextContent;
        Assert.Contains("7-day window", caption, StringComparison.Ordinal);
        Assert.Contains("test metric 0.8", caption, StringComparison.Ordinal);
        Assert.Contains("decay below 0.72", caption, StringComparison.Ordinal);
        Assert.Contains("estimated (no labels)", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void No_series_or_no_days_shows_that_nothing_was_checked()
    {
        var none = Render<PerformanceChart>(p => p.Add(x => x.Series, null));
        Assert.Equal("no-data", none.Find("#performance-chart").GetAttribute("data-state"));
        Assert.NotNull(none.Find("[data-empty]"));
        Assert.Empty(none.FindAll("svg"));

        var empty = Render<PerformanceChart>(p => p.Add(x => x.Series, Series()));
        Assert.Equal("no-data", empty.Find("#performance-chart").GetAttribute("data-state"));
    }

    [Fact]
    public void Without_labels_the_estimate_is_drawn_and_the_chart_says_no_labels_yet()
    {
        var cut = Render<PerformanceChart>(p => p.Add(x => x.Series, Series(Day(0, null, "skipped", 0.8), Day(1, null, "skipped", 0.78)))
            .Add(x => x.MinLabels, 50));

        Assert.Equal("no-labels", cut.Find("#performance-chart").GetAttribute("data-state"));
        Assert.Contains("No labels yet", cut.Find("[data-no-labels]").TextContent, StringComparison.Ordinal);
        Assert.Contains("at least 50", cut.Find("[data-no-labels]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("polyline[data-series=realized]"));
        Assert.Single(cut.FindAll("polyline[data-series=estimated]"));
    }

    [Fact]
    public void Decay_days_are_marked_and_a_day_without_a_value_breaks_the_line()
    {
        var cut = Render<PerformanceChart>(p => p.Add(x => x.Series,
            Series(Day(0, 0.8, "ok", 0.8), Day(1, 0.75, "warning", 0.79), Day(2, null, "skipped", 0.79), Day(3, 0.6, "decay", 0.78), Day(4, 0.55, "decay", 0.78))));

        Assert.Equal("2", cut.Find("#performance-chart").GetAttribute("data-decay-days"));
        Assert.Equal(2, cut.FindAll("circle[data-status=decay]").Count);
        Assert.Single(cut.FindAll("circle[data-status=warning]"));
        Assert.Equal(2, cut.FindAll("polyline[data-series=realized]").Count);
        Assert.Contains("2 days in decay", cut.Find("svg").GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void Versions_that_became_champion_inside_the_charted_days_are_marked_and_others_are_not()
    {
        var cut = Render<PerformanceChart>(p => p
            .Add(x => x.Series, Series(Day(0, 0.81, "ok", 0.8), Day(1, 0.79, "ok", 0.79), Day(2, 0.78, "ok", 0.8)))
            .Add(x => x.Versions,
            [
                new Core.Monitoring.DriftCheck.LiveVersionMark(new DateTime(2026, 1, 10, 9, 0, 0, DateTimeKind.Utc), "own v1"),
                new Core.Monitoring.DriftCheck.LiveVersionMark(new DateTime(2026, 2, 2, 15, 30, 0, DateTimeKind.Utc), "own v2"),
            ]));

        var mark = Assert.Single(cut.FindAll("[data-version-mark]"));
        Assert.Equal("own v2", mark.GetAttribute("data-version-mark"));
        Assert.Contains("became champion", cut.Markup, StringComparison.Ordinal);
    }
}
