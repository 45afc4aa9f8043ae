using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Predictions;
using ControlPlane.Executor.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// "drift-check": one task checking an enrollment's drift (both sources, or the one named by <c>source</c>), started by
/// hand, by the API or by a schedule. The same task follows scoring in "batch-score" and "backfill", checking the batch
/// source. A check that finds nothing to check (no champion, nothing scored, no baselines) logs why and succeeds.
/// </summary>
public static class DriftPipelines
{
    public const string DriftCheck = "drift-check";
    public const string DriftCheckTask = "drift-check";
    public const string SourceParameter = "source";

    /// <summary>Light work next to scoring: one featurization pass per version over the scored rows.</summary>
    public const string PoolName = "default";

    public static PipelineDefinition Definition() => Pipeline.Define(DriftCheck, p => p
        .Describe("Checks the enrollment's input and prediction drift: daily windows of scored rows against the training baselines; stores the windows, updates health and alerts when drift starts.")
        .Parameter(PipelineParameter.Choice(SourceParameter, false, "Which scored rows to check: batch or realtime (both when empty).", "batch", "realtime"))
        .Task(DriftCheckTask, CheckAsync).Pool(PoolName).Timeout(TimeSpan.FromHours(1)).Retry(2, TimeSpan.FromSeconds(5)));

    /// <summary>The drift-check task run after scoring: the batch source only, then the auto-retrain policy.</summary>
    internal static async Task AfterScoringAsync(TaskContext ctx)
    {
        await RunAsync(ctx, [PredictionSources.Batch]);

        // Drift just found may call for a retrain: the enrollment's auto-retrain policy decides, with its cool-down.
        var enrollment = await MonitoringPipelines.EnrollmentIdAsync(ctx);
        var retrain = await ctx.Services.GetRequiredService<RetrainPolicy>().ApplyAsync(enrollment, ctx.CancellationToken);
        ctx.Log.LogInformation("Auto-retrain: {Decision}. {Message}", retrain.Decision, retrain.Message);
    }

    private static Task CheckAsync(TaskContext ctx) =>
        RunAsync(ctx, ctx.Parameters.GetValueOrDefault(SourceParameter) is { Length: > 0 } source ? [source] : DriftChecks.Sources);

    /// <summary>The drift-check task of "monitor": both sources.</summary>
    internal static Task CheckAllSourcesAsync(TaskContext ctx) => RunAsync(ctx, DriftChecks.Sources);

    private static async Task RunAsync(TaskContext ctx, IReadOnlyList<string> sources)
    {
        var (tenant, useCase) = DataTasks.Enrollment(ctx);
        var checks = ctx.Services.GetRequiredService<DriftChecks>();
        for (var i = 0; i < sources.Count; i++)
        {
            await ctx.ReportProgressAsync(100.0 * i / sources.Count, $"Checking {sources[i]} drift of {tenant} / {useCase}");
            var result = await checks.CheckAsync(tenant, useCase, sources[i], ctx.RunId, ctx.CancellationToken);
            foreach (var skipped in result.Skipped)
            {
                ctx.Log.LogWarning("Left out: {Reason}", skipped);
            }

            if (result.Stored)
            {
                ctx.Log.LogInformation("{Source}: {Windows} windows checked; newest {Day:yyyy-MM-dd} is {Status} ({Note})",
                    result.Source, result.Windows, result.Day, result.Status, result.Note);
            }
            else
            {
                ctx.Log.LogInformation("{Source}: nothing checked. {Message}", result.Source, result.Message);
            }
        }

        await ctx.ReportProgressAsync(100, "Drift checked");
    }
}
