using ControlPlane.ML;

namespace ControlPlane.Core.UseCases;

/// <summary>A canonical feature of a use case; tenants map their own raw columns onto it.</summary>
public sealed record FeatureColumn(string Name, FeatureType Type, string? Description = null);
