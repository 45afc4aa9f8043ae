using ControlPlane.ML.Rules.Compiler;

namespace ControlPlane.ML.Rules;

/// <summary>
/// Static checks of an effective rule set against the raw columns of a dataset, before any data is read: missing or
/// dropped columns (with the closest name), types a column cannot give, expressions that do not parse or mix types
/// (compiled by ML.NET against the columns' types), ascending bucket bounds, clip ranges, category caps, imputation
/// that does not fit the type, and a label unfit for the task. Every problem is returned, each at its rule's path.
/// </summary>
public static class RuleChecker
{
    public static IReadOnlyList<RuleError> Check(RuleSet effective, TaskType task, IReadOnlyList<RawColumn> columns) =>
        Check(effective, task, columns, inheritedFeatures: null);

    /// <param name="inheritedFeatures">
    /// The use case's feature names. With them, a <see cref="RuleSet.Drop"/> entry that is neither a raw column nor one of
    /// these is an error; without them such entries are taken as dropped inherited features.
    /// </param>
    public static IReadOnlyList<RuleError> Check(RuleSet effective, TaskType task, IReadOnlyList<RawColumn> columns,
        IReadOnlyCollection<string>? inheritedFeatures)
    {
        ArgumentNullException.ThrowIfNull(effective);
        ArgumentNullException.ThrowIfNull(columns);
        return RuleCompiler.Build(MlContextFactory.Create(RuleCompiler.DefaultSeed), effective, task, columns, inheritedFeatures).Errors;
    }
}
