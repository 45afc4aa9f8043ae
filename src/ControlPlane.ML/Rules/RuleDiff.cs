namespace ControlPlane.ML.Rules;

/// <summary>One difference between two rule sets: the rule path (as in <see cref="RuleError.Path"/>) and its JSON before and after.</summary>
public sealed record RuleChange(string Path, string? Before, string? After);

public static class RuleDiff
{
    // CONTRACT STUB — replaced by the real diff.
    public static IReadOnlyList<RuleChange> Compare(RuleSet before, RuleSet after) => [];
}
