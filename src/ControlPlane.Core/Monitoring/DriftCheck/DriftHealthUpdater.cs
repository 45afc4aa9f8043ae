using System.Globalization;
using ControlPlane.Core.Data;
using ControlPlane.ML.Monitoring;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>
/// After a drift check: the drift columns of the enrollment's <see cref="EnrollmentHealth"/> (the worse of its newest
/// batch and real-time windows; other checks own the other columns and are never written here), the use case's
/// <see cref="DriftGauges"/>, and one alert when the enrollment turns to drift (none while it stays drifting).
/// </summary>
public sealed class DriftHealthUpdater(IDbContextFactory<ControlPlaneDbContext> dbs, DriftGauges gauges, AlertService alerts, TimeProvider time)
{
    public async Task UpdateAsync(DriftTarget target, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var newest = new List<DriftWindow>();
        foreach (var source in DriftChecks.Sources)
        {
            var window = await db.DriftWindows.AsNoTracking().Include(w => w.Features)
                .Where(w => w.EnrollmentId == target.EnrollmentId && w.Source == source).OrderByDescending(w => w.Day).FirstOrDefaultAsync(ct);
            if (window is not null)
            {
                newest.Add(window);
            }
        }

        var worst = newest.OrderBy(w => Rank(w.Status)).ThenByDescending(w => w.Day).FirstOrDefault();
        if (worst is null)
        {
            return;
        }

        var status = HealthStatus(worst.Status);
        var note = NoteOf(worst);
        var turnedToDrift = await UpsertAsync(db, target.EnrollmentId, status, note, worst.Day, ct);
        await SetGaugesAsync(db, target, ct);
        if (turnedToDrift)
        {
            var predictionDrifts = worst.PredictionStatus == "drift";
            await alerts.RaiseAsync(new AlertRequest(AlertKinds.Drift, predictionDrifts ? AlertSeverity.Critical : AlertSeverity.Warning,
                $"Drift in {target.Tenant} / {target.UseCase}",
                $"{worst.DriftedFeatures} of {worst.JudgedFeatures} features drift in the {worst.Source} window of {worst.Day:yyyy-MM-dd} ({note})"
                + (predictionDrifts ? "; the predictions drift too." : "."),
                EnrollmentId: target.EnrollmentId, Link: DashboardLink(target.Tenant, target.UseCase),
                Data: new { source = worst.Source, day = worst.Day, drifted = worst.DriftedFeatures, judged = worst.JudgedFeatures, note }), ct);
        }
    }

    public static string DashboardLink(string tenant, string useCase) => $"/tenants/{tenant}/use-cases/{useCase}/monitoring";

    /// <summary>The top feature and its figure ("pages_viewed PSI 0.41"), or why nothing could be judged.</summary>
    public static string? NoteOf(DriftWindow window)
    {
        var inputs = window.Features.Where(f => f.Feature != ModelBaselines.Prediction).ToList();
        var top = inputs.OrderBy(f => Rank(f.Status)).ThenByDescending(f => f.Psi ?? double.MinValue).FirstOrDefault();
        if (top is null)
        {
            return null;
        }

        return top.Status is "skipped" or "no_data" || top.Psi is null
            ? $"{top.Feature}: {top.Reason ?? top.Status}"
            : $"{top.Feature} PSI {top.Psi.Value.ToString("0.00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Writes only the drift columns (the decay and SLA checks write the others of the same row); true when this call
    /// turned the status to drift. The turn is a conditional UPDATE (or the insert of the row), so of two nodes checking
    /// the same enrollment at once exactly one sees it and raises the alert.
    /// </summary>
    private async Task<bool> UpsertAsync(ControlPlaneDbContext db, Guid enrollmentId, string status, string? note, DateTime day, CancellationToken ct)
    {
        note = note is { Length: > 300 } ? note[..299] + "…" : note;
        var now = Common.Clock.UtcNow(time);
        for (var attempt = 0; ; attempt++)
        {
            if (status == "drift")
            {
                var turned = await db.EnrollmentHealth.Where(h => h.EnrollmentId == enrollmentId && (h.Drift == null || h.Drift != "drift"))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(h => h.Drift, status).SetProperty(h => h.DriftNote, note).SetProperty(h => h.DriftDay, day).SetProperty(h => h.UpdatedAt, now), ct);
                if (turned > 0)
                {
                    return true;
                }
            }

            var updated = await db.EnrollmentHealth.Where(h => h.EnrollmentId == enrollmentId).ExecuteUpdateAsync(s => s
                .SetProperty(h => h.Drift, status).SetProperty(h => h.DriftNote, note).SetProperty(h => h.DriftDay, day).SetProperty(h => h.UpdatedAt, now), ct);
            if (updated > 0)
            {
                return false;
            }

            db.EnrollmentHealth.Add(new EnrollmentHealth { EnrollmentId = enrollmentId, Drift = status, DriftNote = note, DriftDay = day, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
                return status == "drift";
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another check inserted the row first: go round once more against its row.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task SetGaugesAsync(ControlPlaneDbContext db, DriftTarget target, CancellationToken ct)
    {
        // Counted in the database: one row per status, however many tenants the use case has.
        var counts = await db.EnrollmentHealth.Where(h => h.Drift != null)
            .Join(db.Enrollments.Where(e => e.UseCaseId == target.UseCaseId), h => h.EnrollmentId, e => e.Id, (h, _) => h.Drift!)
            .GroupBy(d => d).Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        gauges.Set(target.UseCase, counts.GroupBy(c => HealthStatus(c.Status)).ToDictionary(g => g.Key, g => g.Sum(c => c.Count)));
    }

    /// <summary>The health and gauge status of a window status: skipped counts as no data.</summary>
    public static string HealthStatus(string status) => status is "ok" or "warning" or "drift" ? status : "no_data";

    private static int Rank(string status) => DriftStatusText.Parse(status) switch
    {
        DriftStatus.Drift => 0,
        DriftStatus.Warning => 1,
        DriftStatus.Ok => 2,
        DriftStatus.Skipped => 3,
        _ => 4,
    };
}
