using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Tenants;
using ControlPlane.ML.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>Reads stored drift windows back as a <see cref="DriftReport"/>: windows, each feature's latest result with its trend, the output over time.</summary>
public sealed class DriftQueries(IDbContextFactory<ControlPlaneDbContext> dbs)
{
    /// <summary>Days shown when no range is asked for: the last <see cref="DriftWindowPlan.Days"/> checked days.</summary>
    public async Task<Result<DriftReport>> GetAsync(string tenant, string useCase, string source, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        if (!DriftChecks.Sources.Contains(source))
        {
            return Result<DriftReport>.Invalid("source", $"source must be one of {string.Join(", ", DriftChecks.Sources)}; it was '{source}'.");
        }

        if (from is { } f && to is { } t && f > t)
        {
            return Result<DriftReport>.Invalid("from", $"from ({f:yyyy-MM-dd}) must not be after to ({t:yyyy-MM-dd}).");
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.AsNoTracking().Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase)
            .Select(e => new { e.Id, e.UseCase!.TaskType }).FirstOrDefaultAsync(ct);
        if (enrollment is null)
        {
            return Result<DriftReport>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
        }

        var settings = MonitoringSettings.From(await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == enrollment.Id, ct));
        var query = db.DriftWindows.AsNoTracking().Where(w => w.EnrollmentId == enrollment.Id && w.Source == source);
        if (from is { } start)
        {
            var s = start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(w => w.Day >= s);
        }

        if (to is { } end)
        {
            var e = end.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(w => w.Day <= e);
        }

        var windows = (await query.OrderByDescending(w => w.Day).Take(DriftWindowPlan.Days).Include(w => w.Features).ToListAsync(ct))
            .OrderBy(w => w.Day).ToList();
        var labels = await PredictionQueries.LabelsAsync(db, windows.Select(w => w.ModelVersionId).Distinct(), ct);
        var changes = await db.AliasChanges.AsNoTracking().Where(c => c.EnrollmentId == enrollment.Id && c.Alias == AliasNames.Champion)
            .OrderBy(c => c.At).Select(c => new { c.At, c.ToVersionId }).ToListAsync(ct);
        var changeLabels = await PredictionQueries.LabelsAsync(db, changes.Select(c => c.ToVersionId).Distinct(), ct);

        var views = windows.Select(w => new DriftWindowView(DateOnly.FromDateTime(w.Day), DateOnly.FromDateTime(w.WindowStart), w.Rows, w.Status,
            labels.GetValueOrDefault(w.ModelVersionId, "?"), w.PredictionStatus, w.DriftedFeatures, w.JudgedFeatures, w.CheckedAt)).ToArray();
        var rows = Rows(windows);
        var prediction = rows.FirstOrDefault(r => r.Latest.Feature == ModelBaselines.Prediction);
        var output = windows.Select(w => (w.Day, Result: w.Features.FirstOrDefault(x => x.Feature == ModelBaselines.Prediction)))
            .Where(x => x.Result is not null)
            .Select(x => (x.Day, Histogram: DriftHistogramJson.Read(x.Result!.HistogramJson)))
            .Where(x => x.Histogram is not null)
            .Select(x => new PredictionDistributionPoint(DateOnly.FromDateTime(x.Day), x.Histogram!.Quantiles, x.Histogram.Bins, x.Histogram.Current))
            .ToArray();
        return Result<DriftReport>.Ok(new DriftReport(tenant, useCase, source, enrollment.TaskType, from, to, views,
            DriftFeatureRow.Ranked(rows.Where(r => r.Latest.Feature != ModelBaselines.Prediction)), prediction, output,
            changes.Select(c => new LiveVersionMark(c.At, changeLabels.GetValueOrDefault(c.ToVersionId, "?"))).ToArray(), settings)
        {
            Empty = windows.Count > 0 ? null : await WhyEmptyAsync(db, enrollment.Id, source, from, to, ct),
        });
    }

    /// <summary>Why a range has no windows: nothing checked yet, or where the stored windows are — and that any period compares on demand.</summary>
    private static async Task<string> WhyEmptyAsync(ControlPlaneDbContext db, Guid enrollmentId, string source, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var stored = db.DriftWindows.AsNoTracking().Where(w => w.EnrollmentId == enrollmentId && w.Source == source);
        var first = await stored.MinAsync(w => (DateTime?)w.Day, ct);
        if (first is null)
        {
            return $"No {source} drift window has been checked yet: score rows (or run a drift check) first.";
        }

        var last = await stored.MaxAsync(w => (DateTime?)w.Day, ct);
        var range = (from, to) switch
        {
            ({ } f, { } t) => $"from {f:yyyy-MM-dd} to {t:yyyy-MM-dd}",
            ({ } f, null) => $"from {f:yyyy-MM-dd}",
            (null, { } t) => $"up to {t:yyyy-MM-dd}",
            _ => "",
        };
        return $"No {source} window ends {range}: the stored windows run from {first:yyyy-MM-dd} to {last:yyyy-MM-dd} (each check covers the "
            + $"{DriftWindowPlan.Days} days up to the newest scored day). To compare any older period, use GET …/drift/compare.";
    }

    /// <summary>Each feature's result in the newest window that has it, with its PSI per window before as the trend.</summary>
    private static List<DriftFeatureRow> Rows(IReadOnlyList<DriftWindow> windows)
    {
        var byFeature = windows.SelectMany(w => w.Features.Select(f => (w.Day, Result: f))).GroupBy(x => x.Result.Feature, StringComparer.Ordinal);
        return byFeature.Select(g =>
        {
            var ordered = g.OrderBy(x => x.Day).ToList();
            var trend = ordered.Select(x => new DriftPoint(DateOnly.FromDateTime(x.Day), x.Result.Psi, DriftStatusText.Parse(x.Result.Status))).ToArray();
            return new DriftFeatureRow(ToDrift(ordered[^1].Result), trend);
        }).ToList();
    }

    /// <summary>A stored result as the <see cref="FeatureDrift"/> the components show.</summary>
    public static FeatureDrift ToDrift(DriftFeatureResult result)
    {
        var histogram = DriftHistogramJson.Read(result.HistogramJson);
        var kind = Enum.TryParse<BaselineKind>(result.Kind, ignoreCase: true, out var k) ? k : BaselineKind.Number;
        return new FeatureDrift(result.Feature, kind, result.Rows, result.Missing, result.Psi, result.Test, result.Statistic, result.PValue,
            DriftStatusText.Parse(result.Status), result.Reason, histogram?.Bins ?? [], histogram?.Baseline ?? [], histogram?.Current ?? [])
        {
            Unseen = histogram?.Unseen ?? 0,
            UnseenExamples = histogram?.UnseenExamples ?? [],
            OutOfVocabulary = histogram?.OutOfVocabulary,
            Estimate = result is { Psi: { } value, PsiLow: { } low, PsiHigh: { } high } ? new PsiEstimate(double.NaN, value, low, high) : null,
            AdjustedPValue = result.AdjustedPValue,
            Rule = result.Rule,
        };
    }
}
