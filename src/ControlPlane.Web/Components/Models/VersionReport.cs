using ControlPlane.ML.Training;

namespace ControlPlane.Web.Components.Models;

/// <summary>A version's report as charts draw it: its legend label (e.g. "v3" or "acme · v3") and its colour on the page.</summary>
public sealed record VersionReport(string Label, string Color, ModelReport Report);
