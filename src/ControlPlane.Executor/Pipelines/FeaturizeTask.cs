using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Executor.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>featurize</c>: pins what the model will be trained on (<see cref="TrainingDataChoice"/>: the latest dataset version
/// validation did not block, the current rules version, checked against each other) and records the choice — the
/// lineage of the version to come — in the run folder for the tasks after it.
/// </summary>
public static class FeaturizeTask
{
    public const string Name = "featurize";

    public static async Task RunAsync(TaskContext ctx)
    {
        var scope = await RetrainScope.ForAsync(ctx);
        await ctx.ReportProgressAsync(0, "Choosing the dataset and rules versions");
        var choice = await TrainingDataChoice.MakeAsync(ctx.Services, scope.Tenant, scope.UseCase, ctx.ReportProgressAsync, ctx.CancellationToken);
        var lineage = choice.Lineage;
        await scope.Folder.WriteJsonAsync(RunFolder.Lineage, lineage, ctx.CancellationToken);
        await SweepAsync(ctx, scope);
        var rules = ValidationReport.ShortRulesName(lineage.RulesVersion);
        ctx.Log.LogInformation("Training data: dataset version {Dataset} ({Rows} rows, SHA-256 {Sha}) with {Rules}, task {Task}",
            lineage.DatasetVersion, lineage.Rows, lineage.DatasetSha256, rules, lineage.Task);
        await ctx.ReportProgressAsync(100, $"Dataset version {lineage.DatasetVersion} with {rules}: {lineage.Rows:N0} rows");
    }

    private static async Task SweepAsync(TaskContext ctx, RetrainScope scope)
    {
        var dbs = ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ctx.CancellationToken);
        var now = Clock.UtcNow(ctx.Services.GetRequiredService<TimeProvider>());
        var removed = await RunFolderSweep.SweepAsync(scope.Folder.Store, scope.Tenant, ctx.RunId, db, now, ctx.CancellationToken);
        if (removed > 0)
        {
            ctx.Log.LogInformation("Removed {Count} run folder(s) that old failed or cancelled runs of {Tenant} left behind", removed, scope.Tenant);
        }
    }
}
