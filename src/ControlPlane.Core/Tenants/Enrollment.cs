using ControlPlane.Core.Data;
using ControlPlane.Core.UseCases;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Tenants;

/// <summary>One tenant × one use case: the unit that later gets rules, schedules, SLAs and a model line.</summary>
public sealed class Enrollment
{
    /// <summary>The answer when a tenant has no enrollment in a use case (API 404s, run refusals, task failures).</summary>
    public static string NotEnrolled(string? tenant, string? useCase) => $"Tenant '{tenant}' is not enrolled in use case '{useCase}'.";

    /// <summary>The id of the enrollment of <paramref name="tenant"/> (slug) in <paramref name="useCase"/> (key), or null when there is none.</summary>
    public static Task<Guid?> FindIdAsync(ControlPlaneDbContext db, string tenant, string useCase, CancellationToken ct) =>
        db.Enrollments.AsNoTracking().Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(ct);

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public Guid UseCaseId { get; set; }
    public UseCase? UseCase { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}
