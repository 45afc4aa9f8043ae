using System.Globalization;
using ControlPlane.Core.Predictions;
using ControlPlane.Executor.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// "batch-score": the enrollment's champion scores a dataset version (the latest that validation did not block, or the
/// one named by <c>datasetVersion</c>) into the predictions table. "backfill": the days <c>from</c>–<c>to</c> of a
/// dataset version, each day's rows scored with a fixed <c>version</c> or the version that was champion at each row's
/// time. Both run in the scoring pool; both can be retried and resumed without duplicating predictions. Each ends with a
/// batch drift check (<see cref="DriftPipelines"/>) of what it wrote.
/// </summary>
public static class ScoringPipelines
{
    public const string BatchScore = "batch-score";
    public const string Backfill = "backfill";
    public const string ScoreTask = "score";
    public const string BackfillTask = "score-days";
    public const string DatasetVersionParameter = "datasetVersion";
    public const string FromParameter = "from";
    public const string ToParameter = "to";
    public const string VersionParameter = "version";
    public const string ActorParameter = "requestedBy";
    public const string Backtest = "backtest";
    public const string BacktestTask = "walk-forward";
    public const string RetrainEveryDaysParameter = "retrainEveryDays";

    public static PipelineDefinition BatchScoreDefinition() => Pipeline.Define(BatchScore, p => p
        .Describe("Scores the enrollment's latest valid dataset version (or a chosen one) with its champion and writes the predictions to the database.")
        .Parameter(PipelineParameter.Integer(DatasetVersionParameter, false, "The dataset version to score (the newest that passed validation when empty).", 1))
        .Task(ScoreTask, ScoreAsync).Pool("scoring").Timeout(TimeSpan.FromHours(2)).Retry(2, TimeSpan.FromSeconds(5))
        .Task(DriftPipelines.DriftCheckTask, DriftPipelines.AfterScoringAsync).After(ScoreTask).Pool(DriftPipelines.PoolName)
            .Timeout(TimeSpan.FromHours(1)).Retry(2, TimeSpan.FromSeconds(5)));

    public static PipelineDefinition BackfillDefinition() => Pipeline.Define(Backfill, p => p
        .Describe("Scores a historical date range day by day with a fixed version or the version that was champion at each row's time; one partition per day, written atomically, finished days skipped on resume.")
        .Parameter(PipelineParameter.Day(FromParameter, true, "The first day to score (included)."))
        .Parameter(PipelineParameter.Day(ToParameter, true, "The last day to score (included)."))
        .Parameter(PipelineParameter.Integer(VersionParameter, false, "A fixed model version; empty: the version live at each row's time.", 1))
        .Parameter(PipelineParameter.Integer(DatasetVersionParameter, false, "The dataset version (the newest that passed validation when empty).", 1))
        .Parameter(PipelineParameter.RequestedBy(ActorParameter))
        .Task(BackfillTask, BackfillAsync).Pool("scoring").Timeout(TimeSpan.FromHours(12)).Retry(2, TimeSpan.FromSeconds(5))
        .Task(DriftPipelines.DriftCheckTask, DriftPipelines.AfterScoringAsync).After(BackfillTask).Pool(DriftPipelines.PoolName)
            .Timeout(TimeSpan.FromHours(1)).Retry(2, TimeSpan.FromSeconds(5)));

    public static PipelineDefinition BacktestDefinition() => Pipeline.Define(Backtest, p => p
        .Describe("Backtests a history walk-forward: each period of the range scored by a model trained only on the rows before it (retrained every retrainEveryDays days), measured where labels are known; nothing registered.")
        .Parameter(PipelineParameter.Day(FromParameter, true, "The first day to score (included); the first model learns from the rows before it."))
        .Parameter(PipelineParameter.Day(ToParameter, true, "The last day to score (included)."))
        .Parameter(PipelineParameter.Integer(RetrainEveryDaysParameter, false, "Days per period: a model is trained before each (30 when empty).", 1, 366))
        .Parameter(PipelineParameter.Integer(DatasetVersionParameter, false, "The dataset version (the newest that passed validation when empty).", 1))
        .Parameter(PipelineParameter.RequestedBy(ActorParameter))
        .Task(BacktestTask, BacktestAsync).Pool("scoring").Timeout(TimeSpan.FromHours(12)).Retry(2, TimeSpan.FromSeconds(5)));

    private static async Task BacktestAsync(TaskContext ctx)
    {
        var (tenant, useCase) = DataTasks.Enrollment(ctx);
        var request = new BacktestRequest(Day(ctx, FromParameter), Day(ctx, ToParameter), Number(ctx, RetrainEveryDaysParameter) ?? 30, Number(ctx, DatasetVersionParameter));
        var actor = ctx.Parameters.GetValueOrDefault(ActorParameter) ?? DataTasks.Actor(ctx);
        ctx.Log.LogInformation("Backtesting {From:yyyy-MM-dd} to {To:yyyy-MM-dd}, a model trained before each period of {Days} days", request.From, request.To, request.RetrainEveryDays);
        var backtest = await ctx.Services.GetRequiredService<Backtests>().RunAsync(ctx.RunId, tenant, useCase, request, actor,
            (percent, message) => ctx.ReportProgressAsync(percent, message), ctx.CancellationToken);
        if (Backtests.NothingScored(backtest) is { } warning)
        {
            ctx.Log.LogWarning("{Warning}", warning);
            await ctx.Services.GetRequiredService<Runs.RunService>().WarnAsync(ctx.RunId, warning, ctx.CancellationToken);
        }
    }

    private static async Task ScoreAsync(TaskContext ctx)
    {
        var (tenant, useCase) = DataTasks.Enrollment(ctx);
        var jobs = ctx.Services.GetRequiredService<ScoringJobs>();
        var partition = await jobs.BatchScoreAsync(ctx.RunId, tenant, useCase, Number(ctx, DatasetVersionParameter),
            (percent, message) => ctx.ReportProgressAsync(percent, message), ctx.CancellationToken);
        ctx.Log.LogInformation("Wrote {Rows} predictions by {Models} (partition {Partition})", partition.RowCount, partition.Models, partition.Id);
        await ctx.ReportProgressAsync(100, $"{partition.RowCount:N0} predictions written by {partition.Models}");
    }

    private static async Task BackfillAsync(TaskContext ctx)
    {
        var (tenant, useCase) = DataTasks.Enrollment(ctx);
        var request = new BackfillRequest(Day(ctx, FromParameter), Day(ctx, ToParameter), Number(ctx, VersionParameter), Number(ctx, DatasetVersionParameter));
        var jobs = ctx.Services.GetRequiredService<ScoringJobs>();
        var actor = ctx.Parameters.GetValueOrDefault(ActorParameter) ?? DataTasks.Actor(ctx);
        ctx.Log.LogInformation("Backfilling {From:yyyy-MM-dd} to {To:yyyy-MM-dd} with {Model}", request.From, request.To,
            request.Version is { } v ? $"own v{v}" : "the version live at each row's time");
        var backfill = await jobs.BackfillAsync(ctx.RunId, tenant, useCase, request, actor,
            (percent, message) => ctx.ReportProgressAsync(percent, message), ctx.CancellationToken);
        ctx.Log.LogInformation("Backfill {Backfill} written", backfill.Id);
        if (await jobs.NothingScoredAsync(backfill, ctx.CancellationToken) is { } warning)
        {
            ctx.Log.LogWarning("{Warning}", warning);
            await ctx.Services.GetRequiredService<Runs.RunService>().WarnAsync(ctx.RunId, warning, ctx.CancellationToken);
            await ctx.ReportProgressAsync(100, warning);
        }
    }

    private static int? Number(TaskContext ctx, string name) =>
        ctx.Parameters.TryGetValue(name, out var text) && !string.IsNullOrWhiteSpace(text)
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw new InvalidOperationException($"Parameter '{name}' must be a whole number; it was '{text}'.")
            : null;

    private static DateOnly Day(TaskContext ctx, string name) =>
        ctx.Parameters.TryGetValue(name, out var text) && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new InvalidOperationException($"Parameter '{name}' must be a date as yyyy-MM-dd; it was '{text}'.");
}
