using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.CrossTenant;

/// <summary>
/// Reads a use case's drift across every enrolled tenant in three queries: the enrollments with their health, each
/// enrollment's latest drift window (the latest day, the latest check of that day over both sources) and those windows'
/// feature results (<see cref="DriftFeatureResult"/>, without the prediction's own row).
/// </summary>
public sealed class UseCaseDriftService(IDbContextFactory<ControlPlaneDbContext> dbs)
{
    /// <summary>Null when the use case does not exist.</summary>
    public async Task<UseCaseDrift?> GetAsync(string useCase, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var found = await db.UseCases.AsNoTracking().Where(u => u.Key == useCase).Select(u => new { u.Key, u.Name }).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        var enrollments = await (
                from e in db.Enrollments.AsNoTracking()
                where e.UseCase!.Key == useCase
                join h in db.EnrollmentHealth on e.Id equals h.EnrollmentId into hs
                from h in hs.DefaultIfEmpty()
                select new { e.Id, e.Tenant!.Slug, e.Tenant.Name, h.Drift, h.DriftNote, h.Verdict, h.VerdictReason, h.VerdictEvidence })
            .ToListAsync(ct);
        var ids = enrollments.Select(e => e.Id).ToList();
        var windows = await db.DriftWindows.AsNoTracking()
            .Where(w => ids.Contains(w.EnrollmentId)
                && w.Day == db.DriftWindows.Where(x => x.EnrollmentId == w.EnrollmentId).Max(x => x.Day))
            .Select(w => new { w.Id, w.EnrollmentId, w.Day, w.CheckedAt })
            .ToListAsync(ct);
        var latest = windows.GroupBy(w => w.EnrollmentId).ToDictionary(g => g.Key, g => g.MaxBy(w => w.CheckedAt)!);
        var windowIds = latest.Values.Select(w => w.Id).ToList();
        var features = await db.DriftFeatureResults.AsNoTracking()
            .Where(f => windowIds.Contains(f.WindowId) && f.Feature != ML.Monitoring.ModelBaselines.Prediction)
            .Select(f => new { f.EnrollmentId, f.Feature, f.Psi, f.Status })
            .ToListAsync(ct);
        var byEnrollment = features.ToLookup(f => f.EnrollmentId);

        var tenants = enrollments.Select(e => new TenantDrift(
            e.Slug, e.Name, e.Drift, e.DriftNote,
            latest.TryGetValue(e.Id, out var w) ? DateOnly.FromDateTime(w.Day) : null,
            byEnrollment[e.Id].ToDictionary(f => f.Feature, f => new FeaturePsi(f.Feature, f.Psi, f.Status), StringComparer.Ordinal))
            {
                Verdict = Health.HealthVerdict.Stored(e.Verdict, e.VerdictReason, e.VerdictEvidence),
            })
            .ToList();
        return UseCaseDrift.Arrange(found.Key, found.Name, tenants);
    }
}
