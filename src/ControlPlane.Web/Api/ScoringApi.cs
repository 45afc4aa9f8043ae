using System.Security.Claims;
using ControlPlane.Core.Common;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Security;
using ControlPlane.Executor.Pipelines;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

/// <summary>
/// Batch scoring, backfills and the predictions they write: start a batch score or a backfill (202 with the run), follow
/// their partitions, read or download the current predictions (JSON pages, CSV or Parquet), and read outcomes joined to
/// the predictions they answer.
/// </summary>
public static class ScoringApi
{
    public static RouteGroupBuilder MapScoringApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants/{tenant}/use-cases/{useCase}").WithTags("Predictions");
        group.MapPost("/batch-scores", StartBatchScore).WithName("StartBatchScore").RequireAuthorization(Policies.Analyze)
            .WithSummary("Score the latest valid dataset version (or {\"datasetVersion\": n}) with the champion into the predictions table.");
        group.MapGet("/batch-scores", ListBatchScores).WithName("ListBatchScores").WithSummary("The enrollment's batch scores, newest first.");
        group.MapGet("/batch-scores/plan", async (string tenant, string useCase, PredictionQueries queries, CancellationToken ct) =>
                ApiResults.Ok(await queries.PlanAsync(tenant, useCase, ct), p => p))
            .WithName("PlanBatchScore").WithSummary("What a batch score started now would score: the dataset version (rows, days) and the champion; or why nothing can be scored yet.");
        group.MapPost("/backfills", StartBackfill).WithName("StartBackfill").RequireAuthorization(Policies.Analyze)
            .WithSummary("Score the days from–to (yyyy-MM-dd, UTC) of a dataset version, with a fixed \"version\" or, without it, the version that was champion at each row's time.");
        group.MapGet("/backfills", ListBackfills).WithName("ListBackfills").WithSummary("The enrollment's backfills with the state of each day, newest first.");
        group.MapGet("/backfills/{runId:guid}", GetBackfill).WithName("GetBackfill").WithSummary("One backfill, by the run that makes it, with the state of each day.");
        group.MapPost("/backtests", async (string tenant, string useCase, BacktestStart? body, ScoringStarter starter, ClaimsPrincipal user, CancellationToken ct) =>
                ApiResults.RunAccepted(await starter.StartBacktestAsync(tenant, useCase, body ?? new BacktestStart(null, null), "api", user.Actor(), ct)))
            .WithName("StartBacktest").RequireAuthorization(Policies.Analyze)
            .WithSummary("Backtest the days from–to (yyyy-MM-dd, both included) walk-forward: each period of retrainEveryDays days (30 by default) " +
                "scored by a model trained only on the rows before it, and measured where labels are known; 202 with the run.");
        group.MapGet("/backtests", async (string tenant, string useCase, Backtests backtests, CancellationToken ct) =>
                ApiResults.Ok(await backtests.ListAsync(tenant, useCase, ct: ct), b => b))
            .WithName("ListBacktests").WithSummary("The enrollment's backtests with their periods (model trained before each, rows scored, metric with its 95 % interval), newest first.");
        group.MapGet("/backtests/{runId:guid}", async (string tenant, string useCase, Guid runId, Backtests backtests, CancellationToken ct) =>
                ApiResults.Ok(await backtests.GetAsync(tenant, useCase, runId, ct), b => b))
            .WithName("GetBacktest").WithSummary("One backtest, by the run that makes it, with its periods.");
        group.MapGet("/predictions", GetPredictions).WithName("GetPredictions")
            .WithSummary("Current predictions with as-of time from–to (" + TimeRange.Convention + "), optionally only a run's or one kind's (batch, backfill, backtest; " +
                "without either, batch scores and backfills — a backtest's only when asked for); ?format=json (pages), csv or parquet (all rows).");
        group.MapGet("/predictions/distribution", async (string tenant, string useCase, PredictionQueries queries, CancellationToken ct,
                string? from, string? to, Guid? runId, string? kind) =>
            {
                var errors = new ValidationErrors();
                var filter = Filter(from, to, runId, kind, errors);
                return errors.Any ? ApiResults.Problem(Result<object>.Invalid(errors)) : ApiResults.Ok(await queries.DistributionAsync(tenant, useCase, filter, ct: ct), d => d);
            })
            .WithName("GetPredictionDistribution").WithSummary("How the filtered predictions' scores spread (the same filters as the predictions): 20 bins (twentieths of 0–1 for probabilities) and the mean.");
        group.MapGet("/feedback", GetFeedback).WithName("GetFeedback")
            .WithSummary("Outcomes that occurred from–to (" + TimeRange.Convention + "), newest first, each with the prediction it answers.");
        return group;
    }

    /// <summary>Downloads for the browser (cookie-authenticated; API clients use <c>GET .../predictions?format=</c>).</summary>
    public static WebApplication MapPredictionDownloads(this WebApplication app)
    {
        app.MapGet("/downloads/tenants/{tenant}/use-cases/{useCase}/predictions.{format}", Download)
            .RequireAuthorization(Policies.Read).ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> StartBatchScore(
        string tenant, string useCase, BatchScoreStart? body, ScoringStarter starter, ClaimsPrincipal user, CancellationToken ct) =>
        ApiResults.RunAccepted(await starter.StartBatchScoreAsync(tenant, useCase, body ?? new BatchScoreStart(), "api", user.Actor(), ct));

    public static async Task<IResult> StartBackfill(
        string tenant, string useCase, BackfillStart? body, ScoringStarter starter, ClaimsPrincipal user, CancellationToken ct) =>
        ApiResults.RunAccepted(await starter.StartBackfillAsync(tenant, useCase, body ?? new BackfillStart(null, null), "api", user.Actor(), ct));

    public static async Task<IResult> ListBatchScores(string tenant, string useCase, PredictionQueries queries, CancellationToken ct) =>
        ApiResults.Ok(await queries.OverviewAsync(tenant, useCase, batches: 100, backfills: 0, ct: ct), o => o.Batches);

    public static async Task<IResult> ListBackfills(string tenant, string useCase, PredictionQueries queries, CancellationToken ct) =>
        ApiResults.Ok(await queries.OverviewAsync(tenant, useCase, batches: 0, backfills: 100, ct: ct), o => o.Backfills);

    public static async Task<IResult> GetBackfill(string tenant, string useCase, Guid runId, PredictionQueries queries, CancellationToken ct) =>
        ApiResults.Ok(await queries.BackfillAsync(tenant, useCase, runId, ct), b => b);

    public static async Task<IResult> GetPredictions(
        string tenant, string useCase, PredictionQueries queries, HttpContext http, CancellationToken ct,
        string? from = null, string? to = null, Guid? runId = null, string format = "json", int page = 1, int pageSize = 100, string? kind = null)
    {
        var errors = new ValidationErrors();
        var filter = Filter(from, to, runId, kind, errors);
        if (errors.Any) return ApiResults.Problem(Result<object>.Invalid(errors));
        return format.ToLowerInvariant() switch
        {
            "json" => ApiResults.Ok(await queries.PageAsync(tenant, useCase, filter, page, pageSize, ct), p => p),
            "csv" or "parquet" => await FileAsync(tenant, useCase, filter, format.ToLowerInvariant(), queries, http, ct),
            _ => ApiResults.Problem(Result<object>.Invalid("format", $"format must be json, csv or parquet; it was '{format}'.")),
        };
    }

    public static async Task<IResult> GetFeedback(
        string tenant, string useCase, FeedbackService feedback, CancellationToken ct, string? from = null, string? to = null, int page = 1, int pageSize = 100)
    {
        var errors = new ValidationErrors();
        var range = TimeRange.Parse(from, to, errors);
        return errors.Any
            ? ApiResults.Problem(Result<object>.Invalid(errors))
            : ApiResults.Ok(await feedback.JoinAsync(tenant, useCase, range, page, pageSize, ct), p => p);
    }

    public static async Task<IResult> Download(
        string tenant, string useCase, string format, PredictionQueries queries, HttpContext http, CancellationToken ct,
        string? from = null, string? to = null, Guid? runId = null, string? kind = null)
    {
        if (format is not ("csv" or "parquet")) return ApiResults.NotFound($"Predictions download as csv or parquet; '{format}' is neither.");
        var errors = new ValidationErrors();
        var filter = Filter(from, to, runId, kind, errors);
        return errors.Any ? ApiResults.Problem(Result<object>.Invalid(errors)) : await FileAsync(tenant, useCase, filter, format, queries, http, ct);
    }

    /// <summary>The predictions' query values as a filter; each one that does not read is added to <paramref name="errors"/> at its field.</summary>
    private static PredictionFilter Filter(string? from, string? to, Guid? runId, string? kind, ValidationErrors errors) =>
        new(TimeRange.Parse(from, to, errors), runId, Kind(kind, errors));

    /// <summary>batch, backfill or backtest (any case); null for none.</summary>
    private static string? Kind(string? kind, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(kind)) return null;
        var known = PredictionFilter.Kinds.FirstOrDefault(k => string.Equals(k, kind.Trim(), StringComparison.OrdinalIgnoreCase));
        if (known is null) errors.Add("kind", $"kind must be one of {string.Join(", ", PredictionFilter.Kinds)}; it was '{TextLimits.Clip(kind, 40)}'.");
        return known;
    }

    private static async Task<IResult> FileAsync(
        string tenant, string useCase, PredictionFilter filter, string format, PredictionQueries queries, HttpContext http, CancellationToken ct)
    {
        var rows = await queries.StreamAsync(tenant, useCase, filter, ct);
        if (!rows.IsOk)
        {
            return ApiResults.Problem(rows);
        }

        var name = $"{tenant}-{useCase}-predictions{(filter.RunId is { } run ? "-" + run.ToString("N")[..8] : "")}.{format}";
        return Results.Stream(async body =>
        {
            if (format == "csv") await PredictionExport.WriteCsvAsync(body, tenant, useCase, rows.Value!, http.RequestAborted);
            else await PredictionExport.WriteParquetAsync(body, tenant, useCase, rows.Value!, http.RequestAborted);
        }, format == "csv" ? "text/csv; charset=utf-8" : "application/vnd.apache.parquet", name);
    }


}
