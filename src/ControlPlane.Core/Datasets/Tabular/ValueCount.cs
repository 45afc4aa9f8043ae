namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>A raw cell value and how many rows hold it.</summary>
public sealed record ValueCount(string Value, long Count);
