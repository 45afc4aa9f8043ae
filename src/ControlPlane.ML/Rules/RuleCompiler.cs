using ControlPlane.ML.Rules.Compiler;
using Microsoft.ML;

namespace ControlPlane.ML.Rules;

/// <summary>
/// Compiles an effective rule set into an ML.NET estimator made only of ML.NET's own saveable transforms (Expression,
/// ReplaceMissingValues, OneHotEncoding, OneHotHashEncoding, FeaturizeText, MapValueToKey, Concatenate, ...): no
/// custom mapping, so the fitted pipeline saves and loads with the model. The output has <see cref="FeaturesColumn"/>
/// (a Single vector, every feature's slots in rule order), <see cref="LabelColumn"/> (Boolean for binary, a key from
/// text for multiclass, Single for regression) and, when mapped, <see cref="EntityKeyColumn"/> (text) and
/// <see cref="EventTimeColumn"/> (Double Unix seconds).
/// </summary>
public static class RuleCompiler
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";
    public const string EntityKeyColumn = "EntityKey";
    public const string EventTimeColumn = "EventTime";

    /// <summary>The seed of the context the checker, dry run and preview use; training passes its own.</summary>
    public const int DefaultSeed = 1;

    /// <exception cref="RuleSetException">Every problem <see cref="RuleChecker.Check(RuleSet, TaskType, IReadOnlyList{RawColumn})"/> would report.</exception>
    /// <param name="featurization">What rules that leave a choice to the product mean (<see cref="DateFeatures.DefaultsFor"/>): the current one unless a version trained under an older one is reproduced.</param>
    public static CompiledRules Compile(RuleSet effective, TaskType task, IReadOnlyList<RawColumn> columns, MLContext? ml = null,
        int featurization = DateFeatures.CurrentFeaturization)
    {
        ArgumentNullException.ThrowIfNull(effective);
        ArgumentNullException.ThrowIfNull(columns);
        ml ??= MlContextFactory.Create(DefaultSeed);
        var builder = Build(ml, effective, task, columns, null, featurization);
        if (builder.Errors.Count > 0)
        {
            throw new RuleSetException(builder.Errors);
        }

        return new CompiledRules(ml, task, columns, builder.IdentifierColumns, new RulesEstimator(builder.Steps), builder.Features, builder.Label!)
        {
            FeatureColumns = builder.FeatureColumns.ToArray(),
        };
    }

    internal static RulePlanBuilder Build(MLContext ml, RuleSet effective, TaskType task, IReadOnlyList<RawColumn> columns,
        IReadOnlyCollection<string>? inheritedFeatures, int featurization = DateFeatures.CurrentFeaturization)
    {
        var builder = new RulePlanBuilder(ml, effective, task, columns, featurization);
        builder.Build(inheritedFeatures);
        return builder;
    }
}
