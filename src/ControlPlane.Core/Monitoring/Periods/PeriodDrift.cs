using System.Globalization;
using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Options;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Serving;
using ControlPlane.ML.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Monitoring.Periods;

/// <summary>Days from <see cref="From"/> to <see cref="To"/>, both included (UTC).</summary>
public sealed record DayRange(DateOnly From, DateOnly To)
{
    public int Days => To.DayNumber - From.DayNumber + 1;

    public override string ToString() => From == To
        ? From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{From:yyyy-MM-dd} to {To:yyyy-MM-dd}");
}

/// <param name="Reference">Null: the training data (the baselines of the version compared with).</param>
public sealed record PeriodRequest(string Source, DayRange? Reference, DayRange Analysis);

/// <summary>One side of a comparison: what it is, the rows and days it holds.</summary>
public sealed record PeriodSide(string Label, DateOnly? From, DateOnly? To, long Rows, int Days);

/// <summary>One monitored column compared: the drift window's figures, and both periods' shares per bin for the chart.</summary>
public sealed record PeriodFeature(
    string Feature, string Kind, string? Rule, string Status, double? Psi, double? PsiLow, double? PsiHigh, string? Test, double? Statistic,
    double? PValue, double? AdjustedPValue, long Rows, long Missing, string? Reason,
    IReadOnlyList<string> Bins, IReadOnlyList<double> ReferenceShares, IReadOnlyList<double> AnalysisShares);

/// <summary>
/// Two periods compared; <see cref="Empty"/> says why there is nothing to compare (and <see cref="Features"/> is empty).
/// </summary>
public sealed record PeriodComparison(
    string Tenant, string UseCase, string Source, PeriodSide Reference, PeriodSide Analysis, Guid? VersionId, string? Version,
    string Status, IReadOnlyList<PeriodFeature> Features, IReadOnlyList<string> Notes, string? Empty);

/// <summary>
/// Any two periods of an enrollment's scored rows compared with the statistics of a drift window (issue 17 point 5,
/// decision 0047): a reference (two dates, or the training data) and an analysis period, each the sum of its days'
/// <see cref="DriftDayCount"/> rows, in the bins of the version that scored most of the analysis period. Days no check
/// counted (older than the checks reach) are counted on demand from the scored rows and kept; days counted in another
/// version's bins are counted again in these bins for this answer. An empty answer says why.
/// </summary>
public sealed class PeriodDrift(
    IDbContextFactory<ControlPlaneDbContext> dbs, DriftChecks checks, ModelCache cache, IOptions<ControlPlaneOptions> options, TimeProvider time)
{
    /// <summary>The longest period: a year of days (longer ones compare as well by their halves, and bound the work of one request).</summary>
    public const int MaxDays = 366;

    public async Task<Result<PeriodComparison>> CompareAsync(string tenant, string useCase, PeriodRequest request, CancellationToken ct)
    {
        var errors = Validate(request);
        if (errors.Any)
        {
            return Result<PeriodComparison>.Invalid(errors);
        }

        DriftTarget? target;
        MonitoringSettings settings;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            target = await db.Enrollments.AsNoTracking().Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase)
                .Select(e => new DriftTarget(e.Id, e.Tenant!.Slug, e.UseCase!.Key, e.UseCaseId, e.Tenant.Region, e.UseCase.TaskType)).FirstOrDefaultAsync(ct);
            if (target is null)
            {
                return Result<PeriodComparison>.NotFound($"'{tenant}' is not enrolled in '{useCase}'.");
            }

            settings = MonitoringSettings.From(await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == target.EnrollmentId, ct));
        }

        var notes = new List<string>();
        var analysis = await DaysAsync(target, request.Source, request.Analysis, notes, ct);
        var reference = request.Reference is { } r ? await DaysAsync(target, request.Source, r, notes, ct) : null;
        if (analysis.Count == 0 || reference is { Count: 0 })
        {
            var why = analysis.Count == 0
                ? await WhyEmptyAsync(target, request.Source, request.Analysis, "analysis", notes, ct)
                : await WhyEmptyAsync(target, request.Source, request.Reference!, "reference", notes, ct);
            return Result<PeriodComparison>.Ok(EmptyAnswer(target, request, analysis, reference, notes, why));
        }

        // The bins are those of the version that counted most of the analysis period's rows.
        var versionId = analysis.GroupBy(c => c.ModelVersionId).MaxBy(g => g.Where(c => c.Feature == ModelBaselines.Prediction).Sum(c => c.Rows))!.Key;
        ML.Training.TrainedModel model;
        string label;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            label = (await PredictionQueries.LabelsAsync(db, [versionId], ct)).GetValueOrDefault(versionId, "a deleted version");
        }

        try
        {
            model = await cache.ModelAsync(versionId, ct);
        }
        catch (ModelUnavailableException e)
        {
            return Result<PeriodComparison>.Ok(EmptyAnswer(target, request, analysis, reference, notes, $"The bins of {label} cannot be read: {e.Message}"));
        }

        analysis = await InBinsOfAsync(target, request.Source, analysis, versionId, label, "analysis", notes, ct);
        if (reference is not null)
        {
            reference = await InBinsOfAsync(target, request.Source, reference, versionId, label, "reference", notes, ct);
        }

        if (analysis.Count == 0 || reference is { Count: 0 })
        {
            return Result<PeriodComparison>.Ok(EmptyAnswer(target, request, analysis, reference, notes,
                $"No day of the {(analysis.Count == 0 ? "analysis" : "reference")} period could be counted in the bins of {label}."));
        }

        var analysisSums = Sum(analysis);
        var referenceSums = reference is null ? null : Sum(reference);
        var span = Math.Min(Span(analysis), reference is null ? int.MaxValue : Span(reference));
        var compared = ModelBaselines.ComparePeriods(model.Report.Baselines, referenceSums, analysisSums, settings.DriftThresholds, span);
        var inputs = compared.Where(f => f.Feature != ModelBaselines.Prediction).ToList();
        var prediction = compared.FirstOrDefault(f => f.Feature == ModelBaselines.Prediction);
        var status = DriftChecks.DatasetStatus(inputs, prediction, settings.DriftThresholds);
        var skippedParts = model.Report.Baselines.Count(b => b.CycleDays is { } cycle && !DatePartDrift.Covers(span, cycle));
        if (skippedParts > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{skippedParts} calendar part(s) were not compared: a period of {span} day(s) does not span their cycle."));
        }

        var features = compared
            .OrderBy(f => f.Feature == ModelBaselines.Prediction ? 1 : 0).ThenBy(f => DriftFeatureRow.Rank(f.Status)).ThenByDescending(f => f.Psi ?? double.MinValue)
            .Select(f => new PeriodFeature(f.Feature, f.Kind.ToString().ToLowerInvariant(), f.Rule, DriftStatusText.Of(f.Status), DriftChecks.Finite(f.Psi),
                DriftChecks.Finite(f.Estimate?.Low), DriftChecks.Finite(f.Estimate?.High), f.Test, DriftChecks.Finite(f.Statistic), DriftChecks.Finite(f.PValue), DriftChecks.Finite(f.AdjustedPValue), f.Rows, f.Missing,
                f.Reason, f.Bins, f.BaselineShares, f.CurrentShares))
            .ToList();
        return Result<PeriodComparison>.Ok(new PeriodComparison(target.Tenant, target.UseCase, request.Source,
            Side(request.Reference, reference, label), Side(request.Analysis, analysis, label), versionId, label, status, features, notes, null));
    }

    private static ValidationErrors Validate(PeriodRequest request)
    {
        var errors = new ValidationErrors();
        if (!DriftChecks.Sources.Contains(request.Source))
        {
            errors.Add("source", $"'{request.Source}' is not a source; use {string.Join(" or ", DriftChecks.Sources)}.");
        }

        foreach (var (name, range) in new[] { ("analysis", request.Analysis), ("reference", request.Reference) })
        {
            if (range is null)
            {
                continue;
            }

            if (range.To < range.From)
            {
                errors.Add(name, $"The {name} period ends ({range.To:yyyy-MM-dd}) before it starts ({range.From:yyyy-MM-dd}).");
            }
            else if (range.Days > MaxDays)
            {
                errors.Add(name, $"The {name} period has {range.Days} days; at most {MaxDays}.");
            }
        }

        return errors;
    }

    /// <summary>
    /// The period's stored day counts, after counting the days no check counted: those before the first day the checks of
    /// this source reached, and those with a stored window but no counts (checked before days were counted).
    /// </summary>
    private async Task<List<DriftDayCount>> DaysAsync(DriftTarget target, string source, DayRange range, List<string> notes, CancellationToken ct)
    {
        var (from, until) = Bounds(range);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var stored = await Stored(db, target.EnrollmentId, source, from, until).ToListAsync(ct);
        var counted = stored.Select(c => c.Day).ToHashSet();
        var reached = await db.DriftWindows.AsNoTracking().Where(w => w.EnrollmentId == target.EnrollmentId && w.Source == source)
            .MinAsync(w => (DateTime?)w.WindowStart, ct);
        var windowDays = await db.DriftWindows.AsNoTracking()
            .Where(w => w.EnrollmentId == target.EnrollmentId && w.Source == source && w.Day >= from && w.Day < until).Select(w => w.Day).ToListAsync(ct);
        var missing = new List<DateTime>();
        for (var day = from; day < until; day = day.AddDays(1))
        {
            if (!counted.Contains(day) && (reached is not { } first || day < first || windowDays.Contains(day)))
            {
                missing.Add(day);
            }
        }

        if (missing.Count == 0)
        {
            return stored;
        }

        var counts = await CountAsync(target, source, missing.Min(), missing.Max().AddDays(1), null, notes, ct);
        return counts.Count == 0 ? stored : await Stored(db, target.EnrollmentId, source, from, until).ToListAsync(ct);
    }

    /// <summary>
    /// Counts days from their rows <see cref="SliceDays"/> at a time, so a year asked for holds no more rows at once than
    /// a drift check does (a slice's days, each at most the per-day cap).
    /// </summary>
    private async Task<List<DriftDayCount>> CountAsync(DriftTarget target, string source, DateTime from, DateTime until, Guid? binsOf, List<string> notes, CancellationToken ct)
    {
        var counted = new List<DriftDayCount>();
        for (var start = from; start < until; start = start.AddDays(SliceDays))
        {
            var end = start.AddDays(SliceDays) < until ? start.AddDays(SliceDays) : until;
            var (counts, skipped) = await checks.CountDaysAsync(target, source, start, end, binsOf, ct);
            counted.AddRange(counts);
            notes.AddRange(skipped.Where(n => !notes.Contains(n)));
        }

        return counted;
    }

    /// <summary>Days counted from their rows at once.</summary>
    public const int SliceDays = 30;

    private static IQueryable<DriftDayCount> Stored(ControlPlaneDbContext db, Guid enrollmentId, string source, DateTime from, DateTime until) =>
        db.DriftDayCounts.AsNoTracking().Where(d => d.EnrollmentId == enrollmentId && d.Source == source && d.Day >= from && d.Day < until);

    /// <summary>The period's days in the bins of <paramref name="versionId"/>: days counted in other bins are counted again in these, for this answer only.</summary>
    private async Task<List<DriftDayCount>> InBinsOfAsync(DriftTarget target, string source, List<DriftDayCount> days, Guid versionId, string label,
        string side, List<string> notes, CancellationToken ct)
    {
        var other = days.Where(d => d.ModelVersionId != versionId).Select(d => d.Day).Distinct().Order().ToList();
        if (other.Count == 0)
        {
            return days;
        }

        var counts = await CountAsync(target, source, other[0], other[^1].AddDays(1), versionId, notes, ct);
        var recounted = counts.Where(c => other.Contains(c.Day)).ToList();
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{recounted.Select(c => c.Day).Distinct().Count()} of the {side} period's days were scored by another version and were read again in the bins of {label}."));
        return [.. days.Where(d => d.ModelVersionId == versionId), .. recounted];
    }

    /// <summary>Why a period has nothing to compare: beyond retention, nothing scored there (and where rows are), or the versions' notes.</summary>
    private async Task<string> WhyEmptyAsync(DriftTarget target, string source, DayRange range, string side, List<string> notes, CancellationToken ct)
    {
        var retention = options.Value.Retention;
        var today = DateOnly.FromDateTime(Clock.UtcNow(time));
        var kept = source == PredictionSources.RealTime ? retention.PredictionLogDays : 0;
        if (kept > 0 && range.To < today.AddDays(-kept))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"The {side} period ({range}) is beyond the prediction log's retention: real-time rows are kept {kept} days, so nothing before {today.AddDays(-kept):yyyy-MM-dd} remains.");
        }

        if (notes.Count > 0)
        {
            return $"The {side} period ({range}) has scored rows, but none could be counted: {string.Join(" ", notes)}";
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var days = db.DriftDayCounts.AsNoTracking().Where(d => d.EnrollmentId == target.EnrollmentId && d.Source == source);
        var first = await days.MinAsync(d => (DateTime?)d.Day, ct);
        var last = await days.MaxAsync(d => (DateTime?)d.Day, ct);
        var scored = first is null ? $"nothing has been {(source == PredictionSources.Batch ? "batch-scored" : "logged")} for it yet"
            : string.Create(CultureInfo.InvariantCulture, $"its {source} rows are on days from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}");
        return $"Nothing was {(source == PredictionSources.Batch ? "batch-scored" : "scored in real time")} for '{target.Tenant}' / '{target.UseCase}' "
            + $"in the {side} period ({range}); {scored}.";
    }

    private static PeriodComparison EmptyAnswer(DriftTarget target, PeriodRequest request, List<DriftDayCount> analysis, List<DriftDayCount>? reference,
        List<string> notes, string why) =>
        new(target.Tenant, target.UseCase, request.Source, Side(request.Reference, reference, null), Side(request.Analysis, analysis, null), null, null,
            "no_data", [], notes, why);

    private static PeriodSide Side(DayRange? range, List<DriftDayCount>? days, string? version) => range is null
        ? new PeriodSide(version is null ? "training" : $"training of {version}", null, null, 0, 0)
        : new PeriodSide(range.ToString(), range.From, range.To,
            days?.Where(d => d.Feature == ModelBaselines.Prediction).Sum(d => (long)d.Seen) ?? 0, days?.Select(d => d.Day).Distinct().Count() ?? 0);

    private static Dictionary<string, BinCounts> Sum(IEnumerable<DriftDayCount> days) =>
        days.GroupBy(d => d.Feature, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => BinCounts.Sum(g.Select(d => new BinCounts(d.Rows, d.Missing, JsonSerializer.Deserialize<long[]>(d.Counts) ?? []))), StringComparer.Ordinal);

    /// <summary>The days a period's rows span, first to last.</summary>
    private static int Span(IReadOnlyCollection<DriftDayCount> days) => (days.Max(d => d.Day) - days.Min(d => d.Day)).Days + 1;

    private static (DateTime From, DateTime Until) Bounds(DayRange range) =>
        (range.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), range.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
}
