namespace ControlPlane.Web.Components.Models;

/// <summary>One row of an <see cref="IntervalChart"/>: a value with its interval (when measured) and its colour.</summary>
public sealed record IntervalRow(string Label, double Value, double? Low, double? High, string Color);
