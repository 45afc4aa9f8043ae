using ControlPlane.ML.Training;

namespace ControlPlane.Web.Components.Models;

/// <summary>One version's points on an <see cref="XyChart"/>: a curve (ROC, PR) or a cloud (residuals).</summary>
public sealed record XySeries(string Label, string Color, IReadOnlyList<CurvePoint> Points);
