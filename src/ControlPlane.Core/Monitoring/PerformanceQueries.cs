using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.ML;
using ControlPlane.ML.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring;

/// <summary>
/// One day of an enrollment's headline performance: realized (from labels) and estimated (binary, without labels) over
/// the rolling window ending that day, the test metric they are compared with and the values at which they turn to
/// warning and to decay.
/// </summary>
public sealed record PerformancePoint(
    DateTime Day, DateTime WindowStart,
    double? Realized, int LabelledRows, string RealizedStatus, string? RealizedReason,
    double? Estimated, int ScoredRows, string? EstimatedStatus,
    double Expected, double WarningAt, double AlertAt);

/// <summary>An enrollment's performance over time in its headline decay metric (<see cref="PerformanceMetrics.Headline"/>).</summary>
/// <param name="HasEstimate">True for binary models, whose performance is also estimated without labels.</param>
public sealed record PerformanceSeries(
    string Tenant, string UseCase, TaskType Task, string Metric, bool HigherIsBetter, bool HasEstimate,
    double DecayWarning, double DecayAlert, IReadOnlyList<PerformancePoint> Days)
{
    /// <summary>True when at least one day's realized performance could be judged.</summary>
    public bool HasLabels => Days.Any(d => d.Realized is not null);
}

/// <summary>Reads the performance windows the decay check stored, for the dashboard and the API.</summary>
public sealed class PerformanceQueries(IDbContextFactory<ControlPlaneDbContext> dbs)
{
    /// <summary>Days in [from, to] (dates, UTC); by default the <see cref="DecayChecks.Days"/> days ending on the newest checked one.</summary>
    public async Task<Result<PerformanceSeries>> SeriesAsync(string tenant, string useCase, DateTime? from = null, DateTime? to = null, CancellationToken ct = default)
    {
        if (from is { } f && to is { } t && f.Date > t.Date)
        {
            return Result<PerformanceSeries>.Invalid("to", $"to ({t:yyyy-MM-dd}) is before from ({f:yyyy-MM-dd}).");
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.AsNoTracking().Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase)
            .Select(e => new { e.Id, e.UseCase!.TaskType }).FirstOrDefaultAsync(ct);
        if (enrollment is null) return Result<PerformanceSeries>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));

        var settings = MonitoringSettings.From(await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == enrollment.Id, ct));
        var (metric, higher) = PerformanceMetrics.Headline(enrollment.TaskType);
        var query = db.PerformanceWindows.AsNoTracking().Where(p => p.EnrollmentId == enrollment.Id && p.Metric == metric);
        var last = to?.Date ?? await query.MaxAsync(p => (DateTime?)p.Day, ct) ?? DateTime.UtcNow.Date;
        var first = from?.Date ?? last.AddDays(-(DecayChecks.Days - 1));
        var rows = await query.Where(p => p.Day >= first && p.Day <= last).ToListAsync(ct);

        var points = rows.GroupBy(r => r.Day).OrderBy(g => g.Key).Select(g =>
        {
            var realized = g.FirstOrDefault(r => r.Kind == PerformanceKinds.Realized);
            var estimated = g.FirstOrDefault(r => r.Kind == PerformanceKinds.Estimated);
            var expected = realized?.Expected ?? estimated?.Expected ?? 0;
            return new PerformancePoint(g.Key, (realized ?? estimated)!.WindowStart,
                realized?.Value, realized?.Rows ?? 0, realized?.Status ?? "no_data", realized?.Reason,
                estimated?.Value, estimated?.Rows ?? 0, estimated?.Status,
                expected, DecayJudge.Threshold(expected, higher, settings.DecayWarning), DecayJudge.Threshold(expected, higher, settings.DecayAlert));
        }).ToArray();
        return Result<PerformanceSeries>.Ok(new PerformanceSeries(tenant, useCase, enrollment.TaskType, metric, higher,
            enrollment.TaskType == TaskType.Binary, settings.DecayWarning, settings.DecayAlert, points));
    }
}
