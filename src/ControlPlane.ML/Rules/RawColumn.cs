namespace ControlPlane.ML.Rules;

/// <summary>A column of the tenant's raw data as the dataset version stores it: its name and its (inferred or chosen) type.</summary>
public sealed record RawColumn(string Name, FeatureType Type);
