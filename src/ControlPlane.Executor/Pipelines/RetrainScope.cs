using ControlPlane.Core.Data;
using ControlPlane.Core.Storage;
using ControlPlane.Executor.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Executor.Pipelines;

/// <summary>The enrollment a retrain task works on, with the run folder in its tenant's region store.</summary>
public sealed record RetrainScope(string Tenant, string UseCase, string Region, RunFolder Folder)
{
    public static async Task<RetrainScope> ForAsync(TaskContext ctx)
    {
        var (tenant, useCase) = DataTasks.Enrollment(ctx);
        var dbs = ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ctx.CancellationToken);
        var region = await db.Tenants.Where(t => t.Slug == tenant).Select(t => t.Region).SingleOrDefaultAsync(ctx.CancellationToken)
            ?? throw new InvalidOperationException($"Tenant '{tenant}' does not exist.");
        var store = ctx.Services.GetRequiredService<RegionCatalog>().StoreFor(region);
        return new RetrainScope(tenant, useCase, region, new RunFolder(store, tenant, ctx.RunId));
    }

    /// <summary>Who started the run (a user, a token, "schedule"): the "triggered by" of the versions it registers.</summary>
    public static async Task<string> TriggeredByAsync(TaskContext ctx)
    {
        var dbs = ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ctx.CancellationToken);
        return await db.PipelineRuns.Where(r => r.Id == ctx.RunId).Select(r => r.TriggeredBy).FirstOrDefaultAsync(ctx.CancellationToken)
            ?? DataTasks.Actor(ctx);
    }
}
