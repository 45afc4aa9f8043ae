using Bunit;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Web.Components.Monitoring;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests.Monitoring;

/// <summary>The monitoring page's own parts: the dataset verdict with its window strip, and the prediction distribution over time.</summary>
public sealed class DriftDashboardPartsTests : BunitContext, IAsyncLifetime
{
    public DriftDashboardPartsTests()
    {
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    private static DriftWindowView Window(int day, string status, int start = 0, int rows = 150) =>
        new(new DateOnly(2026, 2, day), new DateOnly(2026, 2, day - start), rows, status, "own v2", "ok", status == "drift" ? 3 : 0, 9, DateTime.UtcNow);

    [Fact]
    public void The_summary_shows_the_newest_verdict_and_one_cell_per_window_with_a_widened_window_spelled_out()
    {
        var cut = Render<DriftSummary>(p => p.Add(x => x.Windows, [Window(1, "ok"), Window(2, "skipped", rows: 12), Window(3, "drift", start: 2)]));

        Assert.Equal("drift", cut.Find("#drift-summary [data-drift-status]").GetAttribute("data-drift-status"));
        Assert.Contains("3 of 9 judged features drift · 2026-02-01 – 2026-02-03 · 150 rows · baseline of own v2", cut.Find("#drift-latest").TextContent, StringComparison.Ordinal);
        Assert.Equal(["ok", "skipped", "drift"], cut.FindAll("[data-window-status]").Select(e => e.GetAttribute("data-window-status")));
    }

    [Fact]
    public void Without_windows_the_summary_says_nothing_was_checked()
    {
        var cut = Render<DriftSummary>(p => p.Add(x => x.Windows, []));
        Assert.Contains("No batch drift checked yet", cut.Find("#drift-none").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Scores_are_drawn_as_percentile_bands_and_a_median_with_the_versions_that_became_champion_in_range_marked()
    {
        PredictionDistributionPoint Point(int day, double median) =>
            new(new DateOnly(2026, 2, day), [median - 0.2, median - 0.1, median, median + 0.1, median + 0.2], ["≤ 0.5", "> 0.5"], [0.5, 0.5]);
        var cut = Render<PredictionTrendChart>(p => p
            .Add(x => x.Points, [Point(1, 0.4), Point(2, 0.45), Point(3, 0.6)])
            .Add(x => x.Versions, [new LiveVersionMark(new DateTime(2026, 1, 10, 0, 0, 0, DateTimeKind.Utc), "own v1"), new LiveVersionMark(new DateTime(2026, 2, 2, 9, 0, 0, DateTimeKind.Utc), "own v2")]));

        Assert.Single(cut.FindAll("[data-band='10-90']"));
        Assert.Single(cut.FindAll("[data-band='25-75']"));
        Assert.Equal(3, cut.Find("[data-series='median']").GetAttribute("points")!.Split(' ').Length);
        Assert.Equal(["own v2"], cut.FindAll("[data-version-mark]").Select(e => e.GetAttribute("data-version-mark")));
    }

    [Fact]
    public void Classes_are_drawn_as_one_share_line_each()
    {
        var cut = Render<PredictionTrendChart>(p => p.Add(x => x.Points,
        [
            new PredictionDistributionPoint(new DateOnly(2026, 2, 1), null, ["billing", "bug", "(other)"], [0.6, 0.4, 0]),
            new PredictionDistributionPoint(new DateOnly(2026, 2, 2), null, ["billing", "bug", "(other)"], [0.3, 0.7, 0]),
        ]));

        Assert.Equal(["billing", "bug"], cut.FindAll("polyline[data-series]").Select(e => e.GetAttribute("data-series")));
        Assert.Empty(cut.FindAll("[data-band]"));
    }
}
