using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.DriftCheck;

namespace ControlPlane.UnitTests.Monitoring;

/// <summary>The drift aspect from a source's newest windows: a lasting change is drift, a lone one watch (decision 0045).</summary>
public sealed class DriftPersistenceTests
{
    [Theory]
    [InlineData(2, "drift,drift", "drift")]
    [InlineData(2, "warning,drift", "drift")] // changed in both, clearly large in one
    [InlineData(2, "drift,warning", "drift")]
    [InlineData(2, "drift,ok", "watch")] // the newest alone
    [InlineData(2, "drift", "watch")] // not yet as many windows as the policy asks
    [InlineData(2, "warning,warning", "watch")]
    [InlineData(2, "warning,ok", "ok")]
    [InlineData(2, "ok,drift", "ok")] // an earlier episode, over
    [InlineData(2, "skipped,drift", "no_data")]
    [InlineData(1, "drift", "drift")]
    [InlineData(3, "drift,drift,ok", "watch")]
    [InlineData(3, "warning,drift,warning", "drift")]
    public void The_newest_windows_decide_the_aspect(int persistence, string newestFirst, string expected)
    {
        var windows = newestFirst.Split(',').Select((status, i) => Window(status, daysAgo: i)).ToList();

        var (status, note, _) = DriftHealthUpdater.Aspect(windows, persistence);

        Assert.Equal(expected, status);
        if (expected is "drift" or "watch")
        {
            Assert.StartsWith("seats PSI 0.41 — ", note, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_note_says_when_the_predictions_moved_with_no_input_changing()
    {
        var window = Window("warning", 0);
        window.Features =
        [
            new DriftFeatureResult { Feature = "seats", Kind = "number", Status = "ok", Psi = 0.01 },
            new DriftFeatureResult { Feature = "(prediction)", Kind = "number", Status = "drift", Psi = 0.98 },
        ];

        Assert.Equal("predictions PSI 0.98 while no input changed: the model's output moves on its own (it reads the time, or the served fit differs from the tested one)",
            DriftHealthUpdater.NoteOf(window));
    }

    private static DriftWindow Window(string status, int daysAgo) => new()
    {
        Source = "batch", Status = status, Day = new DateTime(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc).AddDays(-daysAgo),
        Features = [new DriftFeatureResult { Feature = "seats", Kind = "number", Status = status is "drift" or "warning" ? status : "ok", Psi = 0.41 }],
    };
}
