using System.Runtime.CompilerServices;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Predictions;

/// <summary>One prediction as the API, the UI and downloads show it.</summary>
/// <param name="Model">The version that scored it, e.g. "own v3".</param>
/// <param name="Kind">What wrote it: batch, backfill or backtest (<see cref="PredictionKinds"/>).</param>
public sealed record PredictionView(string? EntityKey, DateTime AsOf, string Model, double Score, string? Label, string? ClassScores, string Kind = PredictionKinds.Batch);

/// <summary>
/// Which predictions: as-of time in <see cref="Range"/> (see <see cref="TimeRange"/>), optionally only one run's, and of
/// one <see cref="Kind"/>. Without a kind: the models that serve (batch scores and backfills), never a backtest's — its
/// models were trained for the backtest only; ask for kind backtest (or its run) to read those.
/// </summary>
public sealed record PredictionFilter(TimeRange Range = default, Guid? RunId = null, string? Kind = null)
{
    public static readonly IReadOnlyList<string> Kinds = [PredictionKinds.Batch, PredictionKinds.Backfill, PredictionKinds.Backtest];
}

/// <summary>A partition's progress and outcome.</summary>
public sealed record PartitionView(
    Guid Id, string Kind, DateTime? Day, Guid RunId, string State, long RowCount, long SkippedRows, string? Models, string? Note,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? CompletedAt);

/// <summary>A backfill with its days.</summary>
/// <param name="Model">"own v3" for a fixed version, or "live at each date".</param>
public sealed record BackfillView(
    Guid Id, Guid RunId, DateTime From, DateTime To, string Model, int DatasetVersion, string CreatedBy, DateTime CreatedAt,
    IReadOnlyList<PartitionView> Partitions)
{
    public int Done => Partitions.Count(p => p.State is PartitionStates.Done or PartitionStates.Replaced);
    public long Rows => Partitions.Where(p => p.State is PartitionStates.Done or PartitionStates.Replaced).Sum(p => p.RowCount);
}

/// <summary>An enrollment's batch scores and backfills, newest first; <see cref="CurrentPredictions"/> counts theirs (not a backtest's).</summary>
public sealed record ScoringOverview(IReadOnlyList<PartitionView> Batches, IReadOnlyList<BackfillView> Backfills, long CurrentPredictions);

/// <summary>
/// What "Score now" would score, said before it starts: the newest dataset version that passed validation (rows and the
/// days they span) and the champion that scores it; <see cref="Problem"/> says why nothing can be scored yet.
/// </summary>
public sealed record ScoringPlan(int? DatasetVersion, string? FileName, long Rows, DateTime? From, DateTime? To, string? Model, DateTime? ModelTrainedAt, string? Problem)
{
    public string Text => Problem ?? $"Dataset version {DatasetVersion} ({FileName}: {Rows:N0} rows" +
        (From is { } f && To is { } t ? $", {f:yyyy-MM-dd} to {t:yyyy-MM-dd})" : ")") +
        $" scored by the champion, {Model}{(ModelTrainedAt is { } at ? $" (trained {at:yyyy-MM-dd})" : "")}.";
}

/// <summary>One bar of a score distribution: scores in [<see cref="From"/>, <see cref="To"/>) (the last bar includes its end).</summary>
public sealed record ScoreBin(double From, double To, long Count);

/// <summary>How the filtered predictions' scores are spread: equal-width bins (0–1 in twentieths for probabilities), with the mean.</summary>
public sealed record ScoreDistribution(IReadOnlyList<ScoreBin> Bins, long Total, double? Mean, bool Probabilities);

/// <summary>Reads predictions and their partitions: the current ones only (a replaced partition's rows are gone).</summary>
public sealed class PredictionQueries(IDbContextFactory<ControlPlaneDbContext> dbs)
{
    public const int MaxPageSize = 1000;

    public async Task<Result<ScoringOverview>> OverviewAsync(string tenant, string useCase, int batches = 20, int backfills = 10, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        if (enrollment is null) return Result<ScoringOverview>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));

        var batchRows = await db.PredictionPartitions.AsNoTracking().Where(p => p.EnrollmentId == enrollment && p.Kind == PredictionKinds.Batch)
            .OrderByDescending(p => p.CreatedAt).Take(batches).ToListAsync(ct);
        var fills = await db.Backfills.AsNoTracking().Where(b => b.EnrollmentId == enrollment).OrderByDescending(b => b.CreatedAt).Take(backfills).ToListAsync(ct);
        var ids = fills.Select(b => b.Id).ToList();
        var days = await db.PredictionPartitions.AsNoTracking().Where(p => p.BackfillId != null && ids.Contains(p.BackfillId.Value)).ToListAsync(ct);
        var versionIds = fills.Where(f => f.ModelVersionId != null).Select(f => f.ModelVersionId!.Value).ToList();
        var versions = await LabelsAsync(db, versionIds, ct);
        var datasetIds = fills.Select(f => f.DatasetVersionId).ToList();
        var datasets = await db.DatasetVersions.AsNoTracking().Where(d => datasetIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Number, ct);
        // What the serving models wrote: a backtest's predictions are read apart (its models served nothing).
        var current = await db.PredictionPartitions.Where(p => p.EnrollmentId == enrollment && p.State == PartitionStates.Done && p.Kind != PredictionKinds.Backtest)
            .SumAsync(p => p.RowCount, ct);

        var views = fills.Select(b => new BackfillView(
            b.Id, b.RunId, b.From, b.To, b.ModelVersionId is { } v ? versions.GetValueOrDefault(v, "?") : "live at each date",
            datasets.GetValueOrDefault(b.DatasetVersionId), b.CreatedBy, b.CreatedAt,
            days.Where(d => d.BackfillId == b.Id).OrderBy(d => d.Day).Select(View).ToArray())).ToArray();
        return Result<ScoringOverview>.Ok(new ScoringOverview(batchRows.Select(View).ToArray(), views, current));
    }

    public async Task<Result<ScoringPlan>> PlanAsync(string tenant, string useCase, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        if (enrollment is null) return Result<ScoringPlan>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));
        var data = await db.DatasetVersions.AsNoTracking()
            .Where(v => v.EnrollmentId == enrollment && v.ValidationOutcome != Datasets.ValidationOutcomes.Blocked)
            .OrderByDescending(v => v.Number).Select(v => new { v.Number, v.FileName, v.RowCount, v.TimeFrom, v.TimeTo }).FirstOrDefaultAsync(ct);
        var champion = await db.ModelAliases.AsNoTracking().Where(a => a.EnrollmentId == enrollment && a.Name == Registry.AliasNames.Champion)
            .Select(a => new { a.ModelVersionId, a.ModelVersion!.CreatedAt }).FirstOrDefaultAsync(ct);
        var model = champion is null ? null : (await LabelsAsync(db, [champion.ModelVersionId], ct)).GetValueOrDefault(champion.ModelVersionId);
        var problem = data is null ? "No dataset version has passed validation yet: upload data (and fix what blocks it) first."
            : champion is null ? "There is no champion yet: train a model (Retrain) and promote it first."
            : null;
        return Result<ScoringPlan>.Ok(new ScoringPlan(data?.Number, data?.FileName, data?.RowCount ?? 0, data?.TimeFrom, data?.TimeTo, model, champion?.CreatedAt, problem));
    }

    /// <summary>A backfill by its run; not found when the run made none (yet).</summary>
    public async Task<Result<BackfillView>> BackfillAsync(string tenant, string useCase, Guid runId, CancellationToken ct = default)
    {
        var overview = await OverviewAsync(tenant, useCase, batches: 0, backfills: int.MaxValue, ct);
        if (!overview.IsOk) return Result<BackfillView>.NotFound(overview.Message!);
        return overview.Value!.Backfills.FirstOrDefault(b => b.RunId == runId) is { } view
            ? Result<BackfillView>.Ok(view)
            : Result<BackfillView>.NotFound($"Run {runId} made no backfill of '{tenant}' / '{useCase}' (yet).");
    }

    public async Task<Result<PagedResult<PredictionView>>> PageAsync(
        string tenant, string useCase, PredictionFilter filter, int page = 1, int pageSize = 100, CancellationToken ct = default)
    {
        if (page < 1) return Result<PagedResult<PredictionView>>.Invalid("page", $"page starts at 1; it was {page}.");
        if (pageSize is < 1 or > MaxPageSize) return Result<PagedResult<PredictionView>>.Invalid("pageSize", $"pageSize must be between 1 and {MaxPageSize}; it was {pageSize}.");
        if (Check(filter) is { } problem) return Result<PagedResult<PredictionView>>.Invalid("to", problem);

        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        if (enrollment is null) return Result<PagedResult<PredictionView>>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));

        var query = Query(db, enrollment.Value, filter);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(p => p.AsOf).ThenBy(p => p.PartitionId).ThenBy(p => p.Row)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        var labels = await LabelsAsync(db, rows.Select(r => r.ModelVersionId), ct);
        var partitionIds = rows.Select(r => r.PartitionId).Distinct().ToList();
        var kinds = await db.PredictionPartitions.AsNoTracking().Where(p => partitionIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Kind, ct);
        return Result<PagedResult<PredictionView>>.Ok(new PagedResult<PredictionView>(rows.Select(r => View(r, labels, kinds[r.PartitionId])).ToArray(), total, page, pageSize));
    }

    /// <summary>
    /// The filtered predictions' scores in bins, counted in the database (two aggregate queries, whatever the row count):
    /// probabilities (binary and multiclass) in twentieths of 0–1, other scores in <paramref name="bins"/> equal bins between
    /// their least and greatest.
    /// </summary>
    public async Task<Result<ScoreDistribution>> DistributionAsync(string tenant, string useCase, PredictionFilter filter, int bins = 20, CancellationToken ct = default)
    {
        if (Check(filter) is { } problem) return Result<ScoreDistribution>.Invalid("to", problem);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.AsNoTracking().Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase)
            .Select(e => new { e.Id, e.UseCase!.TaskType }).FirstOrDefaultAsync(ct);
        if (enrollment is null) return Result<ScoreDistribution>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));

        var rows = Query(db, enrollment.Id, filter);
        var stats = await rows.GroupBy(_ => 1).Select(g => new { Count = g.LongCount(), Min = g.Min(p => p.Score), Max = g.Max(p => p.Score), Mean = g.Average(p => p.Score) })
            .FirstOrDefaultAsync(ct);
        var probabilities = enrollment.TaskType != ML.TaskType.Regression;
        if (stats is null || stats.Count == 0) return Result<ScoreDistribution>.Ok(new ScoreDistribution([], 0, null, probabilities));

        var (low, high) = probabilities ? (0.0, 1.0) : (stats.Min, stats.Max > stats.Min ? stats.Max : stats.Min + 1);
        var width = (high - low) / bins;
        // Scores minus the low end are never negative, so the integer cast is the floor in both databases.
        var counts = await rows.GroupBy(p => (int)((p.Score - low) / width)).Select(g => new { Bin = g.Key, Count = g.LongCount() }).ToListAsync(ct);
        var byBin = new long[bins];
        foreach (var c in counts) byBin[Math.Clamp(c.Bin, 0, bins - 1)] += c.Count;
        var result = Enumerable.Range(0, bins).Select(i => new ScoreBin(low + (i * width), low + ((i + 1) * width), byBin[i])).ToArray();
        return Result<ScoreDistribution>.Ok(new ScoreDistribution(result, stats.Count, stats.Mean, probabilities));
    }

    /// <summary>Every matching prediction, partition by partition, for downloads; null when the tenant is not enrolled.</summary>
    public async Task<Result<IAsyncEnumerable<PredictionView>>> StreamAsync(string tenant, string useCase, PredictionFilter filter, CancellationToken ct = default)
    {
        if (Check(filter) is { } problem) return Result<IAsyncEnumerable<PredictionView>>.Invalid("to", problem);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        return enrollment is null
            ? Result<IAsyncEnumerable<PredictionView>>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase))
            : Result<IAsyncEnumerable<PredictionView>>.Ok(Stream(enrollment.Value, filter, ct));
    }

    private async IAsyncEnumerable<PredictionView> Stream(Guid enrollment, PredictionFilter filter, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var partitions = await Partitions(db, enrollment, filter)
            .OrderBy(p => p.Day).ThenBy(p => p.CreatedAt).Select(p => new { p.Id, p.Kind }).ToListAsync(ct);
        // Every version that may have scored them, read before streaming (one open reader per connection).
        var labels = await db.ModelVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollment || v.Kind == Registry.ModelVersionKinds.Pooled)
            .Select(v => new { v.Id, v.Kind, v.Number }).ToDictionaryAsync(v => v.Id, v => Label(v.Kind, v.Number), ct);
        foreach (var period in await db.BacktestPeriods.AsNoTracking().Where(p => db.Backtests.Any(b => b.Id == p.BacktestId && b.EnrollmentId == enrollment))
                     .Select(p => new { p.Id, p.From }).ToListAsync(ct))
        {
            labels[period.Id] = Backtests.Label(period.From);
        }
        foreach (var partition in partitions)
        {
            var rows = db.Predictions.AsNoTracking().Where(p => p.PartitionId == partition.Id);
            if (filter.Range.From is { } from) rows = rows.Where(p => p.AsOf >= from);
            if (filter.Range.Until is { } until) rows = rows.Where(p => p.AsOf < until);
            await foreach (var row in rows.OrderBy(p => p.Row).AsAsyncEnumerable().WithCancellation(ct))
            {
                yield return View(row, labels, partition.Kind);
            }
        }
    }

    private static IQueryable<Prediction> Query(ControlPlaneDbContext db, Guid enrollment, PredictionFilter filter)
    {
        var partitions = Partitions(db, enrollment, filter).Select(p => p.Id);
        var rows = db.Predictions.AsNoTracking().Where(p => partitions.Contains(p.PartitionId));
        if (filter.Range.From is { } from) rows = rows.Where(p => p.AsOf >= from);
        if (filter.Range.Until is { } until) rows = rows.Where(p => p.AsOf < until);
        return rows;
    }

    /// <summary>The current partitions the filter reads: of its run and kind; without either, not a backtest's.</summary>
    private static IQueryable<PredictionPartition> Partitions(ControlPlaneDbContext db, Guid enrollment, PredictionFilter filter)
    {
        var partitions = db.PredictionPartitions.AsNoTracking().Where(p => p.EnrollmentId == enrollment && p.State == PartitionStates.Done);
        if (filter.RunId is { } run) partitions = partitions.Where(p => p.RunId == run);
        if (filter.Kind is { } kind) partitions = partitions.Where(p => p.Kind == kind);
        else if (filter.RunId is null) partitions = partitions.Where(p => p.Kind != PredictionKinds.Backtest);
        return partitions;
    }

    private static string? Check(PredictionFilter filter) =>
        filter.Range is { From: { } from, Until: { } until } && until <= from ? $"to ({until:O}) must not be before from ({from:O})." : null;

    /// <summary>How predictions name the version that scored them: "own v3", "pooled v1".</summary>
    internal static string Label(string kind, int number) => $"{kind} v{number}";

    internal static async Task<Dictionary<Guid, string>> LabelsAsync(ControlPlaneDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        var labels = await db.ModelVersions.AsNoTracking().Where(v => wanted.Contains(v.Id))
            .Select(v => new { v.Id, v.Kind, v.Number }).ToDictionaryAsync(v => v.Id, v => Label(v.Kind, v.Number), ct);
        if (labels.Count == wanted.Count) return labels;
        // A backtest's models are not registered: their predictions carry the period's id.
        foreach (var period in await db.BacktestPeriods.AsNoTracking().Where(p => wanted.Contains(p.Id)).Select(p => new { p.Id, p.From }).ToListAsync(ct))
        {
            labels[period.Id] = Backtests.Label(period.From);
        }
        return labels;
    }

    private static PredictionView View(Prediction p, IReadOnlyDictionary<Guid, string> labels, string kind) =>
        new(p.EntityKey, p.AsOf, labels.GetValueOrDefault(p.ModelVersionId, "?"), p.Score, p.Label, p.ClassScores, kind);

    private static PartitionView View(PredictionPartition p) =>
        new(p.Id, p.Kind, p.Day, p.RunId, p.State, p.RowCount, p.SkippedRows, p.Models, p.Note, p.CreatedAt, p.StartedAt, p.CompletedAt);

}
