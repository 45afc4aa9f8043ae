namespace ControlPlane.ML.Rules;

/// <summary>What a use case gives every enrolled tenant before its own rules: the canonical columns and features.</summary>
public sealed record RuleDefaults(
    TaskType Task,
    string LabelColumn,
    string EntityKeyColumn,
    string? EventTimeColumn,
    IReadOnlyList<RuleDefaults.Feature> Features)
{
    /// <param name="Source">The use-case column it is derived from (event time, entity key or another feature), as each tenant maps it; null reads a raw column of its name.</param>
    /// <param name="DateParts">Date-times: the parts it gives; null for the defaults.</param>
    public sealed record Feature(string Name, FeatureType Type, string? Source = null, IReadOnlyList<DatePart>? DateParts = null);
}
