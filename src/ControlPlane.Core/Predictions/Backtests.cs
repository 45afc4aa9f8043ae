using System.Globalization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.Serving;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Predictions;

/// <summary>
/// Walk-forward backtests (decision 0052): honest out-of-time predictions for a new customer's history. The days are cut
/// into periods of a stated cadence; for each period a model is trained — with the same settings and rules as a retrain —
/// on the rows whose event time is before the period, scores the period's rows day by day (partitions of their own kind,
/// apart from batch scores and backfills), and is measured on those rows where they have labels. Nothing is registered:
/// the models exist for the backtest. A retried run skips the periods it finished and the days it wrote.
/// </summary>
public sealed class Backtests(
    IDbContextFactory<ControlPlaneDbContext> dbs, ScoringJobs jobs, FeatureRuleService rules, PredictionWriter writer,
    IOptions<ControlPlaneOptions> options, ILogger<Backtests> logger)
{
    public const int MinRetrainEveryDays = 1;
    public const int MaxRetrainEveryDays = 366;

    public async Task<Backtest> RunAsync(
        Guid runId, string tenant, string useCase, BacktestRequest request, string actor, ScoringProgress progress, CancellationToken ct)
    {
        var input = await jobs.LoadAsync(tenant, useCase, request.DatasetVersion, ct);
        if (input.EventTimes is not { } times) throw new InvalidOperationException(ScoringJobs.NoEventTime(tenant, useCase));
        var found = await rules.GetAsync(tenant, useCase, ct: ct);
        var view = found.Value ?? throw new InvalidOperationException(found.Message);
        var backtest = await PlanAsync(runId, input, request, actor, ct);
        var settings = options.Value.Training.ToSettings();
        var periods = backtest.Periods.OrderBy(p => p.Index).ToList();
        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            if (period.State != BacktestStates.Pending) continue;
            await progress(100.0 * i / periods.Count, $"Period {i + 1} of {periods.Count} ({period.From:yyyy-MM-dd} to {period.To:yyyy-MM-dd}): training on the rows before it");
            await RunPeriodAsync(backtest.RunId, period, input, times, view.Effective, view.Task, settings, ct);
            logger.LogInformation("Backtest {Backtest} period {Index}: {State}, {Rows} rows scored, {Metric} {Value} ({Note})",
                backtest.Id, period.Index, period.State, period.ScoredRows, period.Metric, period.Value, period.Note);
        }

        await progress(100, $"{periods.Count(p => p.State == BacktestStates.Done)} of {periods.Count} periods scored, {periods.Sum(p => p.ScoredRows):N0} rows");
        return backtest;
    }

    /// <summary>Null when the backtest scored rows; otherwise why none, from its periods' notes.</summary>
    public static string? NothingScored(Backtest backtest) => backtest.Periods.Sum(p => p.ScoredRows) > 0 ? null
        : "No row was scored: " + string.Join(" ", backtest.Periods.Where(p => p.Note is not null).Select(p => p.Note).Distinct().Take(3));

    public async Task<Result<BacktestView>> GetAsync(string tenant, string useCase, Guid runId, CancellationToken ct = default)
    {
        var list = await ListAsync(tenant, useCase, runId, ct);
        if (!list.IsOk) return Result<BacktestView>.NotFound(list.Message!);
        return list.Value!.FirstOrDefault() is { } view ? Result<BacktestView>.Ok(view)
            : Result<BacktestView>.NotFound($"Run {runId} made no backtest of '{tenant}' / '{useCase}' (yet).");
    }

    /// <summary>The enrollment's backtests, newest first (or the one of <paramref name="runId"/>).</summary>
    public async Task<Result<IReadOnlyList<BacktestView>>> ListAsync(string tenant, string useCase, Guid? runId = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        if (enrollment is null) return Result<IReadOnlyList<BacktestView>>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));
        var rows = await db.Backtests.AsNoTracking().Include(b => b.Periods)
            .Where(b => b.EnrollmentId == enrollment && (runId == null || b.RunId == runId))
            .OrderByDescending(b => b.CreatedAt).Take(20).ToListAsync(ct);
        var datasetIds = rows.Select(b => b.DatasetVersionId).ToList();
        var numbers = await db.DatasetVersions.AsNoTracking().Where(d => datasetIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Number, ct);
        return Result<IReadOnlyList<BacktestView>>.Ok(rows.Select(b => new BacktestView(
            b.Id, b.RunId, b.From, b.To, b.RetrainEveryDays, numbers.GetValueOrDefault(b.DatasetVersionId), b.CreatedBy, b.CreatedAt,
            b.Periods.OrderBy(p => p.Index).Select(BacktestPeriodView.Of).ToArray())).ToArray());
    }

    /// <summary>How a backtest's model is named beside its predictions.</summary>
    internal static string Label(DateTime trainedBefore) => $"backtest (trained before {trainedBefore:yyyy-MM-dd})";

    internal static string DayKey(DateTime day) => "backtest:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task RunPeriodAsync(
        Guid runId, BacktestPeriod period, ScoringJobs.ScoringInput input, DateTime?[] times, ML.Rules.RuleSet effective, ML.TaskType task,
        TrainingSettings settings, CancellationToken ct)
    {
        var (start, end) = (period.From, period.To.AddDays(1));
        var before = new List<int>();
        var inside = new List<int>();
        for (var r = 0; r < times.Length; r++)
        {
            if (times[r] is not { } t) continue;
            if (t < start) before.Add(r);
            else if (t < end) inside.Add(r);
        }

        if (inside.Count == 0)
        {
            await FinishAsync(period, BacktestStates.Skipped, $"No row has an event time from {period.From:yyyy-MM-dd} to {period.To:yyyy-MM-dd}.", ct);
            return;
        }

        TrainedModel model;
        try
        {
            var history = ML.Training.RawTableRows.Select(input.Data, before);
            model = await Task.Run(() => ModelTrainer.Train(history, effective, task, settings, ct: ct), ct);
        }
        catch (TrainingException ex)
        {
            await FinishAsync(period, BacktestStates.Skipped,
                $"No model for {period.From:yyyy-MM-dd} to {period.To:yyyy-MM-dd}: {before.Count:N0} rows before it — {ex.Message}", ct);
            return;
        }

        // Day by day, each day a partition written whole (a retry skips the days done).
        var label = Label(period.From);
        foreach (var day in inside.GroupBy(r => times[r]!.Value.Date).OrderBy(g => g.Key))
        {
            var partition = await PartitionAsync(runId, input, day.Key, ct);
            if (partition.State == PartitionStates.Done) continue;
            var rows = day.ToArray();
            await writer.WriteAsync(partition.Id, BatchScorer.ScoreWithAsync(model, period.Id, input.Data, rows, r => times[r]!.Value, ct),
                () => new PartitionSummary(label), ct: ct);
        }

        period.TrainingRows = model.Report.Split.LabelledRows;
        period.Trainer = model.Report.Trainer;
        period.ScoredRows = inside.Count;
        try
        {
            var metrics = model.Evaluate(ML.Training.RawTableRows.Select(input.Data, inside));
            (period.Metric, period.Value, period.HigherIsBetter, period.LabelledRows) = (metrics.Headline, Finite(metrics.HeadlineValue), metrics.HigherIsBetter, metrics.Rows);
            (period.Low, period.High) = (metrics.HeadlineInterval?.Low, metrics.HeadlineInterval?.High);
            if (period.Value is null) period.Note = $"Not measured on the period's {metrics.Rows:N0} labelled rows (one class only, or too few).";
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or TrainingException)
        {
            period.Note = $"Not measured: {ex.Message}";
        }

        await FinishAsync(period, BacktestStates.Done, period.Note, ct);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private async Task FinishAsync(BacktestPeriod period, string state, string? note, CancellationToken ct)
    {
        period.State = state;
        period.Note = note is null ? null : TextLimits.Clip(note, 1000);
        await using var db = await dbs.CreateDbContextAsync(ct);
        db.BacktestPeriods.Update(period);
        await db.SaveChangesAsync(ct);
    }

    private async Task<PredictionPartition> PartitionAsync(Guid runId, ScoringJobs.ScoringInput input, DateTime day, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var key = DayKey(day);
        var partition = await db.PredictionPartitions.AsNoTracking().FirstOrDefaultAsync(p => p.RunId == runId && p.Key == key, ct);
        if (partition is not null) return partition;
        partition = new PredictionPartition
        {
            Id = Guid.NewGuid(), EnrollmentId = input.EnrollmentId, Kind = PredictionKinds.Backtest, Key = key, RunId = runId,
            Day = DateTime.SpecifyKind(day, DateTimeKind.Utc), DatasetVersionId = input.Dataset.Id, CreatedAt = DateTime.UtcNow,
        };
        db.PredictionPartitions.Add(partition);
        await db.SaveChangesAsync(ct);
        return partition;
    }

    private async Task<Backtest> PlanAsync(Guid runId, ScoringJobs.ScoringInput input, BacktestRequest request, string actor, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var existing = await db.Backtests.AsNoTracking().Include(b => b.Periods).FirstOrDefaultAsync(b => b.RunId == runId, ct);
        if (existing is not null) return existing;

        var backtest = new Backtest
        {
            Id = Guid.NewGuid(), EnrollmentId = input.EnrollmentId, RunId = runId, RetrainEveryDays = request.RetrainEveryDays,
            From = request.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), To = request.To.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            DatasetVersionId = input.Dataset.Id, CreatedBy = actor, CreatedAt = DateTime.UtcNow,
        };
        var index = 0;
        for (var first = request.From; first <= request.To; first = first.AddDays(request.RetrainEveryDays))
        {
            var last = first.AddDays(request.RetrainEveryDays - 1);
            backtest.Periods.Add(new BacktestPeriod
            {
                Id = Guid.NewGuid(), BacktestId = backtest.Id, Index = index++,
                From = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                To = (last < request.To ? last : request.To).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            });
        }

        db.Backtests.Add(backtest);
        await db.SaveChangesAsync(ct);
        return backtest;
    }
}
