namespace ControlPlane.ML.Rules;

/// <summary>Static checks of an effective rule set against the raw columns of a dataset, before any data is read.</summary>
public static class RuleChecker
{
    // CONTRACT STUB — replaced by the real checker (missing columns, wrong types, expressions that do not parse or mix types).
    public static IReadOnlyList<RuleError> Check(RuleSet effective, TaskType task, IReadOnlyList<RawColumn> columns) => [];
}
