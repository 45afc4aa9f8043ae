using ControlPlane.Executor.Definitions;
using ControlPlane.Executor.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>retrain-tenants</c>: the fan-out step of retrain-all — one child <c>retrain</c> run per tenant enrolled in the use
/// case. The retrain-all run then finishes when its children have (failed if any failed).
/// </summary>
public static class RetrainTenantsTask
{
    public const string Name = "retrain-tenants";

    public static async Task RunAsync(TaskContext ctx)
    {
        if (ctx.Tenant is not null || ctx.UseCase is null)
        {
            throw new InvalidOperationException($"'{ctx.Pipeline}' retrains every tenant of one use case: start it with a use case and no tenant.");
        }

        var engine = ctx.Services.GetRequiredService<DagEngine>();
        var children = await engine.AddChildrenAsync(ctx.RunId, RetrainPipelines.Retrain, DataTasks.Actor(ctx), ctx.CancellationToken);
        ctx.Log.LogInformation("Started {Children} retrain runs, one per tenant enrolled in {UseCase}", children, ctx.UseCase);
        await ctx.ReportProgressAsync(100, children == 0 ? $"No tenant is enrolled in {ctx.UseCase}." : $"Started {children} retrain run(s).");
    }
}
