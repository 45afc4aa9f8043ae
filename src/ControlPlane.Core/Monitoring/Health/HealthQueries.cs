using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Monitoring.Health;

/// <summary>An enrollment's stored verdict as the monitoring page and the API show it.</summary>
/// <param name="Since">When the verdict last changed to what it is.</param>
/// <param name="At">When it was last computed (after the newest check).</param>
public sealed record EnrollmentVerdict(
    string Tenant, string UseCase, string Verdict, string Word, string Reason, IReadOnlyList<VerdictEvidence> Evidence, DateTime? Since, DateTime? At);

/// <summary>Reads the verdict <see cref="HealthVerdictService"/> stored; never judges anything itself.</summary>
public sealed class HealthQueries(IDbContextFactory<ControlPlaneDbContext> dbs)
{
    public async Task<Result<EnrollmentVerdict>> GetAsync(string tenant, string useCase, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await Enrollment.FindIdAsync(db, tenant, useCase, ct) is not { } id)
        {
            return Result<EnrollmentVerdict>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
        }

        var row = await db.EnrollmentHealth.AsNoTracking().FirstOrDefaultAsync(h => h.EnrollmentId == id, ct);
        var verdict = HealthVerdict.Stored(row?.Verdict, row?.VerdictReason, row?.VerdictEvidence);
        return Result<EnrollmentVerdict>.Ok(new EnrollmentVerdict(tenant, useCase, verdict.Verdict, Verdicts.Word(verdict.Verdict), verdict.Reason,
            verdict.Evidence, Clock.Utc(row?.VerdictSince), Clock.Utc(row?.VerdictAt)));
    }
}
