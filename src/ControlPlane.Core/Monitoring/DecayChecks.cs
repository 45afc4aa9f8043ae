using ControlPlane.Core.Data;
using ControlPlane.Core.Predictions;
using ControlPlane.ML;
using ControlPlane.ML.Monitoring;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring;

/// <summary>What one decay check found: the enrollment's decay status and note, and how many days it judged.</summary>
public sealed record DecayCheckResult(string Status, string Note, int Days, bool Alerted);

/// <summary>
/// Decay of one enrollment's model: for each day (of the 90 ending on the newest day with predictions, at most today)
/// that has predictions, the realized performance over the labelled predictions of the rolling
/// <see cref="MonitoringSettings.DecayWindowDays"/> window ending that day (outcomes joined to the predictions they
/// answer by <see cref="OutcomeJoin"/>), and for binary models the label-free estimate (CBPE) over the window's scored
/// rows, read through each version's test-split calibration (<see cref="ModelReport.Calibration"/>); each judged against the test metric of the version that scored most of the window. Stores one
/// <see cref="PerformanceWindow"/> per day, kind and metric (the check replaces the whole range in one transaction),
/// updates <see cref="EnrollmentHealth.Decay"/> and raises one decay alert when the status turns to decay.
/// </summary>
public sealed class DecayChecks(IDbContextFactory<ControlPlaneDbContext> dbs, AlertService alerts, Health.HealthVerdictService verdicts, TimeProvider time)
{
    public const int Days = 90;
    private const string Decay = "decay";

    public async Task<DecayCheckResult> CheckAsync(Guid enrollmentId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.AsNoTracking().Where(e => e.Id == enrollmentId)
                .Select(e => new { e.UseCase!.TaskType, Tenant = e.Tenant!.Slug, UseCase = e.UseCase.Key }).FirstOrDefaultAsync(ct)
            ?? throw new ArgumentException($"There is no enrollment {enrollmentId}.", nameof(enrollmentId));
        var settings = MonitoringSettings.From(await db.EnrollmentMonitoring.AsNoTracking().FirstOrDefaultAsync(m => m.EnrollmentId == enrollmentId, ct));
        var now = time.GetUtcNow().UtcDateTime;
        var last = await DecayData.LastDayAsync(db, enrollmentId, now, ct);
        if (last is not { } end)
        {
            const string none = "no predictions yet";
            var alerted = await UpdateHealthAsync(db, enrollmentId, "no_data", none, now, ct);
            await verdicts.UpdateAsync(enrollmentId, ct);
            return new DecayCheckResult("no_data", none, 0, alerted);
        }

        var first = end.AddDays(-(Days - 1));
        var reach = first.AddDays(-(settings.DecayWindowDays - 1));
        var reports = await ReportsAsync(db, await DecayData.VersionsAsync(db, enrollmentId, reach, end.AddDays(1), ct), ct);
        var scored = await DecayData.ScoredAsync(db, enrollmentId, enrollment.TaskType, reach, end.AddDays(1), v => reports.GetValueOrDefault(v)?.Calibration, ct);
        var labelled = await DecayData.LabelledAsync(db, enrollmentId, reach, end.AddDays(1), ct);
        var tests = reports.ToDictionary(r => r.Key, r => r.Value?.Test);

        var windows = new List<PerformanceWindow>();
        foreach (var day in scored.Keys.Where(d => d >= first).Order())
        {
            windows.AddRange(DecayWindows.Judge(enrollment.TaskType, settings, day, scored, labelled, tests, now));
        }

        foreach (var w in windows)
        {
            w.EnrollmentId = enrollmentId;
        }

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.PerformanceWindows.Where(p => p.EnrollmentId == enrollmentId && p.Day >= first && p.Day <= end).ExecuteDeleteAsync(ct);
            db.PerformanceWindows.AddRange(windows);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        var (status, note, headline) = DecayWindows.Health(enrollment.TaskType, windows, end);
        var raised = await UpdateHealthAsync(db, enrollmentId, status, note, now, ct);
        await verdicts.UpdateAsync(enrollmentId, ct);
        if (status == "ok")
        {
            await alerts.ResolveAsync([AlertKeys.Decay(enrollmentId)], $"The model performs as tested again: {note}.", ct);
        }

        if (raised && headline is not null)
        {
            await alerts.RaiseAsync(new AlertRequest(AlertKinds.Decay, AlertSeverity.Warning,
                $"Decay: {enrollment.Tenant} / {enrollment.UseCase}",
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"The {headline.Kind} {note} (window {headline.WindowStart:yyyy-MM-dd} to {headline.Day:yyyy-MM-dd}, {headline.Rows} rows), "
                    + $"{DecayJudge.Loss(headline.Value ?? 0, headline.Expected, headline.HigherIsBetter):P0} worse; the alert share is {settings.DecayAlert:P0}."),
                EnrollmentId: enrollmentId, Link: $"/tenants/{enrollment.Tenant}/use-cases/{enrollment.UseCase}/monitoring",
                Data: new { headline.Metric, headline.Kind, headline.Value, headline.Expected, headline.Day, headline.Rows }, Key: AlertKeys.Decay(enrollmentId)), ct);
        }

        return new DecayCheckResult(status, note, windows.Select(w => w.Day).Distinct().Count(), raised);
    }

    /// <summary>
    /// Writes only the decay columns (the drift and SLA checks write the others of the same row); true when this call
    /// turned the status to decay — the one place that decides an alert, so two nodes checking at once alert once.
    /// </summary>
    private static async Task<bool> UpdateHealthAsync(ControlPlaneDbContext db, Guid id, string status, string note, DateTime at, CancellationToken ct)
    {
        if (status == Decay)
        {
            var turned = await db.EnrollmentHealth.Where(h => h.EnrollmentId == id && (h.Decay == null || h.Decay != Decay))
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.Decay, status).SetProperty(h => h.DecayNote, note).SetProperty(h => h.UpdatedAt, at), ct);
            if (turned == 1) return true;
        }

        var updated = await db.EnrollmentHealth.Where(h => h.EnrollmentId == id)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Decay, status).SetProperty(h => h.DecayNote, note).SetProperty(h => h.UpdatedAt, at), ct);
        if (updated == 1) return false;

        db.EnrollmentHealth.Add(new EnrollmentHealth { EnrollmentId = id, Decay = status, DecayNote = note, UpdatedAt = at });
        try
        {
            await db.SaveChangesAsync(ct);
            return status == Decay;
        }
        catch (DbUpdateException)
        {
            // Another check (perhaps drift or SLA) inserted the row first: write over its decay columns only, turning
            // it to decay by the same conditional update so the alert is still decided once.
            db.ChangeTracker.Clear();
            if (status == Decay && await db.EnrollmentHealth.Where(h => h.EnrollmentId == id && (h.Decay == null || h.Decay != Decay))
                    .ExecuteUpdateAsync(s => s.SetProperty(h => h.Decay, status).SetProperty(h => h.DecayNote, note).SetProperty(h => h.UpdatedAt, at), ct) == 1)
            {
                return true;
            }

            await db.EnrollmentHealth.Where(h => h.EnrollmentId == id)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.Decay, status).SetProperty(h => h.DecayNote, note).SetProperty(h => h.UpdatedAt, at), ct);
            return false;
        }
    }

    private static async Task<Dictionary<Guid, ModelReport?>> ReportsAsync(ControlPlaneDbContext db, List<Guid> ids, CancellationToken ct)
    {
        var rows = await db.ModelVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).Select(v => new { v.Id, v.ReportJson }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r =>
        {
            try
            {
                return (ModelReport?)ModelReportJson.Read(r.ReportJson);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        });
    }
}
