using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Executor.Definitions;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Pipelines;

/// <summary>The rows, effective rules and settings a retrain trains with: the versions <c>featurize</c> pinned, read again by each task that needs them.</summary>
public sealed record TrainingInputs(RawTable Data, RuleSet Effective, RuleDefaults Defaults, TrainingSettings Settings)
{
    public static async Task<TrainingInputs> LoadAsync(TaskContext ctx, RetrainScope scope, RetrainLineage lineage)
    {
        var ct = ctx.CancellationToken;
        var rules = (await ctx.Services.GetRequiredService<FeatureRuleService>().GetAsync(scope.Tenant, scope.UseCase, lineage.RulesVersion, ct)).OrThrow();
        var data = await SnapshotReader.ReadAsync(scope.Folder.Store, lineage.SnapshotPath, maxRows: null, ct);
        return new TrainingInputs(data, rules.Effective, rules.Defaults, SettingsOf(ctx));
    }

    public static TrainingSettings SettingsOf(TaskContext ctx) =>
        ctx.Services.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.Training.ToSettings();
}
