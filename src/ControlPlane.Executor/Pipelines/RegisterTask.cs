using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring;
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
        if (report.Leakage is { Suspected: true } leak)
        {
            await RaiseLeakAsync(ctx, scope, version, leak);
        }

        await RecordAsync(ctx, scope, version.Number);
    }

    /// <summary>A suspected leak is an alert (the bell, /notifications, webhooks): the version will not be promoted on its own.</summary>
    private static async Task RaiseLeakAsync(TaskContext ctx, RetrainScope scope, ModelVersionSummary version, LeakageReport leak)
    {
        Guid? enrollment;
        await using (var db = await ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync(ctx.CancellationToken))
        {
            enrollment = await db.Enrollments.Where(e => e.Tenant!.Slug == scope.Tenant && e.UseCase!.Key == scope.UseCase)
                .Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ctx.CancellationToken);
        }

        var features = leak.Findings.Select(f => f.Feature).OfType<string>().Distinct().ToArray();
        await ctx.Services.GetRequiredService<AlertService>().RaiseAsync(new AlertRequest(AlertKinds.Leak, AlertSeverity.Warning,
            Core.Common.TextLimits.Clip($"Suspected leak: {scope.Tenant} / {scope.UseCase} v{version.Number}{(features.Length > 0 ? $" ({string.Join(", ", features)})" : "")}", 200),
            Core.Common.TextLimits.Clip(string.Join(" ", leak.Findings.Select(f => f.Message)) + " Not promoted automatically.", 1000),
            EnrollmentId: enrollment, Link: $"/tenants/{scope.Tenant}/use-cases/{scope.UseCase}/models/{version.Number}",
            Data: new { version = version.Number, findings = leak.Findings }), ctx.CancellationToken);
        ctx.Log.LogWarning("Suspected leak in version {Number}: alert raised", version.Number);
    }

    private static async Task RecordAsync(TaskContext ctx, RetrainScope scope, int number)
    {
        await scope.Folder.WriteJsonAsync(RunFolder.Registered, new RegisteredVersion(number), ctx.CancellationToken);
        await ctx.ReportProgressAsync(100, $"Registered version {number}");
    }
}

/// <summary>The version <c>register</c> made, for <c>promote-gate</c>.</summary>
public sealed record RegisteredVersion(int Number);
