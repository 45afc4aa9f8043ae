namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>One bin [Lower, Upper) of a number column's histogram (the last bin includes Upper).</summary>
public sealed record HistogramBin(double Lower, double Upper, long Count);
