namespace ControlPlane.Web.Components.Models;

/// <summary>One row of a <see cref="BarRows"/> chart: a label (a feature) and a bar per series (a version, or one contribution).</summary>
public sealed record BarGroup(string Label, IReadOnlyList<BarValue> Values);

/// <summary>One bar: its value and colour.</summary>
/// <param name="Series">The legend entry of the bar, e.g. "v3".</param>
public sealed record BarValue(string Series, double Value, string Color);
