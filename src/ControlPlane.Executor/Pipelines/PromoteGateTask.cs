using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.Executor.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>promote-gate</c>: makes the new version challenger and lets the registry's promotion gate decide whether it also
/// becomes champion; the decision and its reason are the task's result and go into the alias history. The run folder
/// is deleted afterwards: everything worth keeping is in the registry now.
/// </summary>
public static class PromoteGateTask
{
    public const string Name = "promote-gate";

    public static async Task RunAsync(TaskContext ctx)
    {
        var scope = await RetrainScope.ForAsync(ctx);
        var ct = ctx.CancellationToken;
        var registered = await scope.Folder.ReadJsonAsync<RegisteredVersion>(RunFolder.Registered, RegisterTask.Name, ct);
        await ctx.ReportProgressAsync(0, $"Promotion gate for version {registered.Number}");
        var registry = ctx.Services.GetRequiredService<ModelRegistry>();
        var lineage = await scope.Folder.ReadJsonAsync<RetrainLineage>(RunFolder.Lineage, FeaturizeTask.Name, ct);
        var (data, effective, _, settings) = await TrainingInputs.LoadAsync(ctx, scope, lineage);
        var champion = await ChampionOnTestSplit.ScoreAsync(registry, ctx.Services.GetRequiredService<ModelCache>(), scope, data, effective, lineage, settings, ct);
        ctx.Log.LogInformation("Same test data: {Note}", champion.Note);
        ChampionScorer? scorer = champion.Value is { } value ? (_, _) => Task.FromResult(value) : null;
        var decision = (await registry.GateAsync(scope.Tenant, scope.UseCase, registered.Number, DataTasks.Actor(ctx), scorer, ct))
            .OrThrow("The promotion gate failed");
        ctx.Log.LogInformation("{Outcome}: {Reason}", decision.Promoted ? $"{decision.Challenger} is champion" : $"{decision.Challenger} stays challenger", decision.Reason);
        var removed = await scope.Folder.DeleteAsync(ct);
        ctx.Log.LogInformation("Removed the run folder {Folder} ({Files} files)", scope.Folder.Prefix, removed);
        await ctx.ReportProgressAsync(100, decision.Promoted ? $"{decision.Challenger} is champion. {decision.Reason}" : $"{decision.Challenger} is challenger. {decision.Reason}");
    }
}
