using ControlPlane.Core.Home;

namespace ControlPlane.Web.Components.Home;

/// <summary>How a cell's health is shown: its colour, a one-word label and the tooltip naming each cause and figure.</summary>
public static class HealthView
{
    public static string Name(HealthLevel level) => level.ToString().ToLowerInvariant();

    public static string Colour(HealthLevel level) => level switch
    {
        HealthLevel.Ok => "var(--mud-palette-success)",
        HealthLevel.Warning => "var(--mud-palette-warning)",
        HealthLevel.Bad => "var(--mud-palette-error)",
        _ => "var(--mud-palette-text-disabled)",
    };

    /// <summary>"healthy", "not checked yet", or the worst aspects by name (e.g. "drift · model age").</summary>
    public static string Label(MatrixHealth health) => health.Level switch
    {
        HealthLevel.Unknown => "not checked yet",
        HealthLevel.Ok => "healthy",
        _ => string.Join(" · ", health.Worst.Select(c => c.Aspect.Replace('-', ' '))),
    };

    public static string Tooltip(MatrixHealth health) => health.Causes.Count == 0
        ? "No drift, decay or SLA check has run yet: open monitoring."
        : string.Join(" · ", health.Causes.Select(c => c.Text)) + " — open monitoring";
}
