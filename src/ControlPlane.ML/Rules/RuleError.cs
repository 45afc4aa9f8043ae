namespace ControlPlane.ML.Rules;

/// <summary>
/// One problem with a rule set, pointing at the exact rule and field: <see cref="Path"/> is e.g.
/// <c>features[monthly_spend].expression</c>, <c>label.source</c> or <c>drop[2]</c>. Features are addressed by name, so
/// the same path finds the rule in the tenant's overrides and in the effective rule set.
/// </summary>
public sealed record RuleError(string Path, string Message)
{
    public static string FeaturePath(string feature, string field) => $"features[{feature}].{field}";

    public static RuleError Feature(string feature, string field, string message) => new(FeaturePath(feature, field), message);

    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Thrown where a rule set cannot be compiled or applied; carries every problem found, not only the first.</summary>
public sealed class RuleSetException(IReadOnlyList<RuleError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    public IReadOnlyList<RuleError> Errors { get; } = errors;
}
