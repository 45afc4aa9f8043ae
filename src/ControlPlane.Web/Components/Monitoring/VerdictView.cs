using ControlPlane.Core.Monitoring.Health;

namespace ControlPlane.Web.Components.Monitoring;

/// <summary>
/// The one place a verdict's colour is chosen: every surface that shows a verdict uses these, with <see cref="Verdicts.Word"/>.
/// Drift is the red a drifting feature's chip has; decay a deeper red; failing deep purple, apart from both.
/// </summary>
public static class VerdictView
{
    public static string Colour(string? verdict) => Verdicts.Of(verdict) switch
    {
        Verdicts.Healthy => "var(--mud-palette-success)",
        Verdicts.Watch => "var(--mud-palette-warning)",
        Verdicts.Drift => "var(--mud-palette-error)",
        Verdicts.Decay => "var(--mud-palette-error-darken)",
        Verdicts.Failing => "#6a1b9a",
        _ => "var(--mud-palette-text-disabled)",
    };

    /// <summary>The tooltip: the reason and each aspect's evidence.</summary>
    public static string Tooltip(HealthVerdict verdict) => verdict.Evidence.Count == 0
        ? verdict.Reason
        : string.Join(" · ", verdict.Evidence.Select(e => $"{e.Text} ({Verdicts.Word(e.Verdict).ToLowerInvariant()})"));
}
