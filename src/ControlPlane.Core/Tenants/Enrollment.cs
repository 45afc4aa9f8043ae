using ControlPlane.Core.UseCases;

namespace ControlPlane.Core.Tenants;

/// <summary>One tenant × one use case: the unit that later gets rules, schedules, SLAs and a model line.</summary>
public sealed class Enrollment
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }
    public Guid UseCaseId { get; set; }
    public UseCase? UseCase { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}
