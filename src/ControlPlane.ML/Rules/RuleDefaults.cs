namespace ControlPlane.ML.Rules;

/// <summary>What a use case gives every enrolled tenant before its own rules: the canonical columns and features.</summary>
public sealed record RuleDefaults(
    TaskType Task,
    string LabelColumn,
    string EntityKeyColumn,
    string? EventTimeColumn,
    IReadOnlyList<RuleDefaults.Feature> Features)
{
    public sealed record Feature(string Name, FeatureType Type);
}
