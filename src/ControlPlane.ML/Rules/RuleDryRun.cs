namespace ControlPlane.ML.Rules;

/// <summary>Fits the compiled rules on real rows to find what only data shows: a constant label, a label not valid for the task.</summary>
public static class RuleDryRun
{
    // CONTRACT STUB — replaced by the real dry run.
    public static IReadOnlyList<RuleError> Check(RuleSet effective, TaskType task, RawTable data) => [];
}
