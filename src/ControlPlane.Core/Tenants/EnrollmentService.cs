using ControlPlane.ML;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Core.Tenants;

public sealed class EnrollmentService(IDbContextFactory<ControlPlaneDbContext> dbs, TimeProvider time, ILogger<EnrollmentService> logger)
{
    public async Task<Result<EnrollmentSummary>> EnrollAsync(string tenantSlug, string useCaseKey, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Slug == tenantSlug, ct);
        if (tenant is null)
        {
            return Result<EnrollmentSummary>.NotFound($"Tenant '{tenantSlug}' does not exist.");
        }

        var useCase = await db.UseCases.FirstOrDefaultAsync(u => u.Key == useCaseKey, ct);
        if (useCase is null)
        {
            return Result<EnrollmentSummary>.NotFound($"Use case '{useCaseKey}' does not exist.");
        }

        if (await db.Enrollments.AnyAsync(e => e.TenantId == tenant.Id && e.UseCaseId == useCase.Id, ct))
        {
            return Result<EnrollmentSummary>.Conflict("useCase", $"Tenant '{tenantSlug}' is already enrolled in '{useCaseKey}'.");
        }

        var enrollment = new Enrollment { Id = Guid.NewGuid(), TenantId = tenant.Id, UseCaseId = useCase.Id, CreatedAt = Clock.UtcNow(time), CreatedBy = actor };
        db.Enrollments.Add(enrollment);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Tenant {TenantSlug} enrolled in {UseCase} by {Actor}", tenantSlug, useCaseKey, actor);
        return Result<EnrollmentSummary>.Ok(new EnrollmentSummary(useCase.Key, useCase.Name, useCase.TaskType, enrollment.CreatedAt, 0));
    }
}
