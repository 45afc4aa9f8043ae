using ControlPlane.Core.Tenants;
using System.Globalization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using ControlPlane.Executor.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Pipelines;

/// <summary>What <c>POST .../backfills</c> and the Backfill dialog send.</summary>
/// <param name="Version">A fixed own version number; null for "the version live at each date".</param>
public sealed record BackfillStart(DateOnly? From, DateOnly? To, int? Version = null, int? DatasetVersion = null);

/// <summary>What <c>POST .../backtests</c> and the Backtest dialog send: the days, the retraining cadence (30 days by default) and optionally the dataset version.</summary>
public sealed record BacktestStart(DateOnly? From, DateOnly? To, int? RetrainEveryDays = null, int? DatasetVersion = null);

/// <summary>What <c>POST .../batch-scores</c> and the Score button send.</summary>
public sealed record BatchScoreStart(int? DatasetVersion = null);

/// <summary>Starts batch-score and backfill runs after checking what can be checked before a run: the same answers on the API and in the UI.</summary>
public sealed class ScoringStarter(
    IDbContextFactory<ControlPlaneDbContext> dbs, RunService runs, IServiceScopeFactory scopes, IOptions<ControlPlaneOptions> options, TimeProvider time)
{
    public async Task<Result<RunSummary>> StartBatchScoreAsync(string tenant, string useCase, BatchScoreStart start, string trigger, string actor, CancellationToken ct = default)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var enrollment = await db.Enrollments.AsNoTracking().Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase)
                .Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
            if (enrollment is not { } id)
            {
                return Result<RunSummary>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
            }

            if (!await db.ModelAliases.AnyAsync(a => a.EnrollmentId == id && a.Name == AliasNames.Champion, ct))
            {
                return Result<RunSummary>.Conflict("model", $"'{tenant}' has no champion model for '{useCase}' yet: retrain and promote a version, then score.");
            }

            if (start.DatasetVersion is { } number && !await db.DatasetVersions.AnyAsync(v => v.EnrollmentId == id && v.Number == number, ct))
            {
                return Result<RunSummary>.Invalid("datasetVersion", $"'{tenant}' / '{useCase}' has no dataset version {number}.");
            }
        }

        var parameters = new Dictionary<string, string>();
        if (start.DatasetVersion is { } dataset) parameters[ScoringPipelines.DatasetVersionParameter] = dataset.ToString(CultureInfo.InvariantCulture);
        return await runs.StartAsync(new StartRunRequest { Pipeline = ScoringPipelines.BatchScore, Tenant = tenant, UseCase = useCase, Parameters = parameters },
            trigger, actor, ct);
    }

    /// <summary>
    /// Starts a walk-forward backtest after the checks a run cannot do better: the days as for a backfill, a cadence of
    /// 1–366 days, data that passed validation with rows before the first day (the first model needs a history) and in
    /// the range, and an event time in the rules.
    /// </summary>
    public async Task<Result<RunSummary>> StartBacktestAsync(string tenant, string useCase, BacktestStart start, string trigger, string actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        CheckDays(start.From, start.To, "backtest", errors);
        var cadence = start.RetrainEveryDays ?? 30;
        if (cadence is < Backtests.MinRetrainEveryDays or > Backtests.MaxRetrainEveryDays)
        {
            errors.Add("retrainEveryDays", $"Retrain every {Backtests.MinRetrainEveryDays} to {Backtests.MaxRetrainEveryDays} days (30: a model a month); it was {cadence}.");
        }
        if (errors.Any) return Result<RunSummary>.Invalid(errors);

        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var id = await Enrollment.FindIdAsync(db, tenant, useCase, ct);
            if (id is null) return Result<RunSummary>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
            var data = await DataSpanAsync(db, id.Value, start.DatasetVersion, ct);
            if (data is null)
            {
                return start.DatasetVersion is { } missing
                    ? Result<RunSummary>.Invalid("datasetVersion", $"'{tenant}' / '{useCase}' has no dataset version {missing}.")
                    : Result<RunSummary>.Conflict("datasetVersion", "No dataset version has passed validation: upload data (and fix what blocks it) before backtesting its history.");
            }
            if (data.NoRowsIn(start.From!.Value, start.To!.Value) is { } none) return Result<RunSummary>.Invalid("from", none);
            if (data.First is { } first && start.From!.Value.ToDateTime(TimeOnly.MinValue) <= first.Date)
            {
                return Result<RunSummary>.Invalid("from",
                    $"The first period's model is trained on the rows before {start.From:yyyy-MM-dd}, and dataset version {data.Number} has none (its rows begin {first:yyyy-MM-dd}): start later, leaving history to learn from.");
            }
        }

        if (await NoEventTimeAsync(tenant, useCase, ct) is { } noEventTime) return noEventTime;

        var parameters = DayParameters(start.From!.Value, start.To!.Value, actor, start.DatasetVersion);
        parameters[ScoringPipelines.RetrainEveryDaysParameter] = cadence.ToString(CultureInfo.InvariantCulture);
        return await runs.StartAsync(new StartRunRequest { Pipeline = ScoringPipelines.Backtest, Tenant = tenant, UseCase = useCase, Parameters = parameters },
            trigger, actor, ct);
    }

    /// <summary>The days a backfill or backtest scores: both given, in order, at most MaxBackfillDays, none after today.</summary>
    private void CheckDays(DateOnly? first, DateOnly? last, string what, ValidationErrors errors)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (first is null) errors.Add("from", $"Choose the first day to {what} (from, as yyyy-MM-dd).");
        if (last is null) errors.Add("to", $"Choose the last day to {what} (to, as yyyy-MM-dd).");
        if (first is not { } from || last is not { } to) return;
        var days = to.DayNumber - from.DayNumber + 1;
        var max = options.Value.Serving.MaxBackfillDays;
        if (to < from) errors.Add("to", $"The last day ({to:yyyy-MM-dd}) is before the first ({from:yyyy-MM-dd}).");
        else if (days > max) errors.Add("to", $"{from:yyyy-MM-dd} to {to:yyyy-MM-dd} is {days:N0} days; a {what} covers at most {max:N0}. Split the range.");
        if (to > today) errors.Add("to", $"A {what} scores history: the last day ({to:yyyy-MM-dd}) is after today ({today:yyyy-MM-dd}).");
    }

    /// <summary>The dataset version a backfill or backtest would read (the chosen one, or the newest that passed) and the days its rows span.</summary>
    private sealed record DataSpan(int Number, DateTime? First, DateTime? Last)
    {
        /// <summary>Why from–to holds none of the version's rows; null when it holds some (or the span is unknown).</summary>
        public string? NoRowsIn(DateOnly from, DateOnly to) =>
            First is { } first && Last is { } last && (to.ToDateTime(TimeOnly.MinValue) < first.Date || from.ToDateTime(TimeOnly.MinValue) > last.Date)
                ? $"Dataset version {Number} holds rows from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}: {from:yyyy-MM-dd} to {to:yyyy-MM-dd} holds none of them."
                : null;
    }

    private static Task<DataSpan?> DataSpanAsync(ControlPlaneDbContext db, Guid enrollment, int? datasetVersion, CancellationToken ct)
    {
        var versions = db.DatasetVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollment);
        return (datasetVersion is { } n ? versions.Where(v => v.Number == n)
                : versions.Where(v => v.ValidationOutcome != ValidationOutcomes.Blocked).OrderByDescending(v => v.Number))
            .Select(v => new DataSpan(v.Number, v.TimeFrom, v.TimeTo)).FirstOrDefaultAsync(ct);
    }

    /// <summary>A refusal when the enrollment's rules map no event time: a backfill or backtest places rows in days by it.</summary>
    private async Task<Result<RunSummary>?> NoEventTimeAsync(string tenant, string useCase, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rules = await scope.ServiceProvider.GetRequiredService<FeatureRuleService>().GetAsync(tenant, useCase, ct: ct);
        return rules.Value?.Effective.EventTime is null ? Result<RunSummary>.Conflict("rules", ScoringJobs.NoEventTime(tenant, useCase)) : null;
    }

    private static Dictionary<string, string> DayParameters(DateOnly from, DateOnly to, string actor, int? datasetVersion)
    {
        var parameters = new Dictionary<string, string>
        {
            [ScoringPipelines.FromParameter] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            [ScoringPipelines.ToParameter] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            [ScoringPipelines.ActorParameter] = actor,
        };
        if (datasetVersion is { } d) parameters[ScoringPipelines.DatasetVersionParameter] = d.ToString(CultureInfo.InvariantCulture);
        return parameters;
    }

    /// <summary>
    /// A backfill that would score no row is refused before it starts, saying why: the range holds none of the data's
    /// rows, or every row in it is older than the first champion (in "live at each date" mode).
    /// </summary>
    private static async Task<Result<RunSummary>?> NothingToScoreAsync(ControlPlaneDbContext db, Guid enrollment, BackfillStart start, CancellationToken ct)
    {
        var data = await DataSpanAsync(db, enrollment, start.DatasetVersion, ct);
        if (data is null)
        {
            return Result<RunSummary>.Conflict("datasetVersion", "No dataset version has passed validation: upload data (and fix what blocks it) before scoring its history.");
        }

        if (data.NoRowsIn(start.From!.Value, start.To!.Value) is { } none) return Result<RunSummary>.Invalid("from", none);

        if (start.Version is null)
        {
            var firstChampion = await db.AliasChanges.AsNoTracking().Where(c => c.EnrollmentId == enrollment && c.Alias == AliasNames.Champion)
                .OrderBy(c => c.At).Select(c => (DateTime?)c.At).FirstOrDefaultAsync(ct);
            if (firstChampion is { } since && start.To!.Value.ToDateTime(TimeOnly.MinValue) < since.Date)
            {
                return Result<RunSummary>.Conflict("version",
                    $"No version was champion before {since:yyyy-MM-dd}, and every day from {start.From:yyyy-MM-dd} to {start.To:yyyy-MM-dd} is earlier: no row would be scored. " +
                    "Score the history with a fixed version (version), or backtest it: each day scored by a model trained only on the days before it.");
            }
        }

        return null;
    }

    public async Task<Result<RunSummary>> StartBackfillAsync(string tenant, string useCase, BackfillStart start, string trigger, string actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        CheckDays(start.From, start.To, "backfill", errors);
        if (start.Version is < 1) errors.Add("version", $"Version numbers start at 1; it was {start.Version}.");
        if (errors.Any)
        {
            return Result<RunSummary>.Invalid(errors);
        }

        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var enrollment = await db.Enrollments.AsNoTracking().Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase)
                .Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);
            if (enrollment is not { } id)
            {
                return Result<RunSummary>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
            }

            if (start.Version is { } number
                && !await db.ModelVersions.AnyAsync(v => v.EnrollmentId == id && v.Kind == ModelVersionKinds.Own && v.Number == number, ct))
            {
                return Result<RunSummary>.Invalid("version", ModelRegistry.NoVersion(tenant, useCase, number));
            }

            if (start.Version is null && !await db.AliasChanges.AnyAsync(c => c.EnrollmentId == id && c.Alias == AliasNames.Champion, ct))
            {
                return Result<RunSummary>.Conflict("version",
                    $"'{tenant}' has never had a champion for '{useCase}', so no version was live at any date: choose a fixed version, or promote one first.");
            }

            if (start.DatasetVersion is { } dataset && !await db.DatasetVersions.AnyAsync(v => v.EnrollmentId == id && v.Number == dataset, ct))
            {
                return Result<RunSummary>.Invalid("datasetVersion", $"'{tenant}' / '{useCase}' has no dataset version {dataset}.");
            }

            if (await NothingToScoreAsync(db, id, start, ct) is { } nothing)
            {
                return nothing;
            }
        }

        if (await NoEventTimeAsync(tenant, useCase, ct) is { } noEventTime) return noEventTime;

        var parameters = DayParameters(start.From!.Value, start.To!.Value, actor, start.DatasetVersion);
        if (start.Version is { } v) parameters[ScoringPipelines.VersionParameter] = v.ToString(CultureInfo.InvariantCulture);
        return await runs.StartAsync(new StartRunRequest { Pipeline = ScoringPipelines.Backfill, Tenant = tenant, UseCase = useCase, Parameters = parameters },
            trigger, actor, ct);
    }
}
