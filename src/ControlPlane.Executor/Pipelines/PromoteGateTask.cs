using ControlPlane.Core.Registry;
using ControlPlane.Executor.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>promote-gate</c>: makes the new version challenger and lets the registry's promotion gate decide whether it also
/// becomes champion, from the comparisons <c>train</c> made on the validation rows (<see cref="PromotionGate"/>); the
/// decision and its reason are the task's result and go into the alias history. The run folder
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
        var decision = (await registry.GateAsync(scope.Tenant, scope.UseCase, registered.Number, DataTasks.Actor(ctx), ct))
            .OrThrow("The promotion gate failed");
        ctx.Log.LogInformation("{Outcome}: {Reason}", decision.Promoted ? $"{decision.Challenger} is champion" : $"{decision.Challenger} stays challenger", decision.Reason);
        var removed = await scope.Folder.DeleteAsync(ct);
        ctx.Log.LogInformation("Removed the run folder {Folder} ({Files} files)", scope.Folder.Prefix, removed);
        await ctx.ReportProgressAsync(100, decision.Promoted ? $"{decision.Challenger} is champion. {decision.Reason}" : $"{decision.Challenger} is challenger. {decision.Reason}");
    }
}
