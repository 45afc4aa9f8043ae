using Bunit;
using ControlPlane.Core.Predictions;
using ControlPlane.Web.Components.Predictions;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests.Predictions;

/// <summary>A backfill's days: one square per day in day order, coloured and described by its state.</summary>
public sealed class PartitionGridTests : BunitContext, IAsyncLifetime
{
    public PartitionGridTests()
    {
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public void Each_day_shows_its_state_rows_models_and_why_rows_were_skipped()
    {
        var run = Guid.NewGuid();
        var day = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        PartitionView Day(int offset, string state, long rows = 0, long skipped = 0, string? models = null, string? note = null) =>
            new(Guid.NewGuid(), PredictionKinds.Backfill, day.AddDays(offset), run, state, rows, skipped, models, note, day, null, null);
        var backfill = new BackfillView(Guid.NewGuid(), run, day, day.AddDays(2), "live at each date", 1, "ana", day,
        [
            Day(0, PartitionStates.Done, rows: 40, skipped: 3, models: "own v1, own v2", note: "3 rows not scored: no version was champion before 2026-03-01 10:00 UTC."),
            Day(1, PartitionStates.Running),
            Day(2, PartitionStates.Failed, note: "Model version … cannot score this data"),
        ]);

        var cut = Render<PartitionGrid>(p => p.Add(x => x.Backfill, backfill));

        var cells = cut.FindAll($"#partitions-{run:N} .partition-cell");
        Assert.Equal(["2026-03-01", "2026-03-02", "2026-03-03"], cells.Select(c => c.GetAttribute("data-day")));
        Assert.Equal([PartitionStates.Done, PartitionStates.Running, PartitionStates.Failed], cells.Select(c => c.GetAttribute("data-state")));
        Assert.Equal("2026-03-01: done, 40 rows by own v1, own v2, 3 skipped — 3 rows not scored: no version was champion before 2026-03-01 10:00 UTC.",
            cells[0].GetAttribute("title"));
        Assert.Contains("mud-palette-error", cells[2].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal(1, backfill.Done);
        Assert.Equal(40, backfill.Rows);
        // Each week's row starts with its first day written; the rows chart has both axes titled and its ends dated.
        Assert.Equal(["2026-03-01"], cut.FindAll("[data-week-start]").Select(w => w.TextContent.Trim()));
        var chart = cut.Find("[data-rows-chart]").TextContent;
        Assert.Contains("Day (UTC)", chart, StringComparison.Ordinal);
        Assert.Contains("Rows scored", chart, StringComparison.Ordinal);
        Assert.Contains("2026-03-03", chart, StringComparison.Ordinal);
    }
}
