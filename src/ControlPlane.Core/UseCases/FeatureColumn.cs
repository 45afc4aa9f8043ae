using ControlPlane.ML;

namespace ControlPlane.Core.UseCases;

/// <summary>A canonical feature of a use case; tenants map their own raw columns onto it.</summary>
/// <param name="Source">
/// How the feature is derived when a tenant says nothing: from another of the use case's columns — its event-time
/// column, its entity-key column or another feature — as that tenant maps it. Null reads a column of the feature's name.
/// </param>
/// <param name="DateParts">Date-time features: the parts they give (null: the defaults, see docs/feature-rules.md).</param>
public sealed record FeatureColumn(
    string Name, FeatureType Type, string? Description = null, string? Source = null, IReadOnlyList<ML.Rules.DatePart>? DateParts = null);
