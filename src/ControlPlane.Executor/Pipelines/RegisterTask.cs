using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using ControlPlane.Executor.Definitions;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>register</c>: records the trained artifact as the enrollment's next model version with its lineage (dataset
/// version and hash, rules version, the run and who started it). A rerun of the task after a registration that went
/// through finds the version by the run's id instead of registering a second one.
/// </summary>
public static class RegisterTask
{
    public const string Name = "register";

    public static async Task RunAsync(TaskContext ctx)
    {
        var scope = await RetrainScope.ForAsync(ctx);
        var ct = ctx.CancellationToken;
        var lineage = await scope.Folder.ReadJsonAsync<RetrainLineage>(RunFolder.Lineage, FeaturizeTask.Name, ct);
        var dbs = ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var already = await db.ModelVersions.AsNoTracking()
            .Where(v => v.RunId == ctx.RunId && v.Kind == ModelVersionKinds.Own).Select(v => (int?)v.Number).FirstOrDefaultAsync(ct);
        if (already is { } number)
        {
            ctx.Log.LogInformation("This run already registered version {Number}", number);
            await RecordAsync(ctx, scope, number);
            return;
        }

        await ctx.ReportProgressAsync(0, "Registering the model");
        ModelReport report;
        await using (var artifact = await scope.Folder.OpenAsync(RunFolder.Model, TrainTask.Name, ct))
        {
            report = TrainedModel.ReadReport(artifact);
        }

        var actor = await RetrainScope.TriggeredByAsync(ctx);
        var serving = await scope.Folder.ReadOptionalJsonAsync<ServingDecision>(RunFolder.Serving, ct);
        var registration = new ModelRegistration(scope.Tenant, scope.UseCase, lineage.DatasetVersion, lineage.RulesVersion, report, actor, ctx.RunId, serving);
        await using var content = await scope.Folder.OpenAsync(RunFolder.Model, TrainTask.Name, ct);
        var version = (await ctx.Services.GetRequiredService<ModelRegistry>().RegisterAsync(registration, content, ct))
            .OrThrow("The registry refused the model");
        ctx.Log.LogInformation("Registered version {Number}: {Trainer}, test {Metric} {Value:F4}, dataset version {Dataset}, {Rules}; serving: {Serving}",
            version.Number, version.Trainer, version.HeadlineMetric, version.HeadlineValue, lineage.DatasetVersion,
            Core.Datasets.Validation.ValidationReport.ShortRulesName(lineage.RulesVersion), serving?.Choice ?? "own (no pooled model compared)");
        await RecordAsync(ctx, scope, version.Number);
    }

    private static async Task RecordAsync(TaskContext ctx, RetrainScope scope, int number)
    {
        await scope.Folder.WriteJsonAsync(RunFolder.Registered, new RegisteredVersion(number), ctx.CancellationToken);
        await ctx.ReportProgressAsync(100, $"Registered version {number}");
    }
}

/// <summary>The version <c>register</c> made, for <c>promote-gate</c>.</summary>
public sealed record RegisteredVersion(int Number);
