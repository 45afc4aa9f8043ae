using ControlPlane.ML;
using ControlPlane.Core.UseCases;

namespace ControlPlane.Core.Tenants;

public sealed class CreateTenantRequest
{
    public string? Name { get; set; }
    public string? Slug { get; set; }
    public string? Region { get; set; }
    public List<string>? UseCases { get; set; }
}

/// <summary>A first data file handed over at onboarding, for one of the enrolled use cases.</summary>
public sealed record InitialUpload(string UseCase, string FileName, Stream Content);

public sealed record TenantCreated(TenantDetails Tenant, string ApiKey);

public sealed record TenantSummary(string Slug, string Name, string Region, DateTime CreatedAt, int EnrollmentCount);

public sealed record EnrollmentSummary(string UseCase, string UseCaseName, TaskType TaskType, DateTime EnrolledAt, int Uploads);

/// <param name="ExpiresAt">When a rotated-out key stops working (its overlap ends); null: no end.</param>
public sealed record ApiKeySummary(Guid Id, string Prefix, DateTime CreatedAt, string CreatedBy, DateTime? RevokedAt, DateTime? LastUsedAt, DateTime? ExpiresAt = null);

public sealed record TenantDetails(
    string Slug, string Name, string Region, DateTime CreatedAt, string CreatedBy,
    IReadOnlyList<EnrollmentSummary> Enrollments, IReadOnlyList<ApiKeySummary> ApiKeys);

public sealed record ApiKeyIssued(ApiKeySummary Key, string ApiKey);

public sealed record OffboardReport(string Slug, int EnrollmentsRemoved, int FilesDeleted);

public enum TenantSort
{
    Name,
    Slug,
    Region,
    CreatedAt,
    Enrollments,

    /// <summary>By the worst health verdict among the tenant's enrollments (of the filtered use case); descending puts failing first.</summary>
    Health,
}

public sealed record TenantQuery
{
    public string? Search { get; init; }
    public string? Region { get; init; }
    public string? UseCase { get; init; }
    public TenantSort SortBy { get; init; } = TenantSort.Name;
    public bool Descending { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;

    /// <summary>The caller's scope: only its tenants are listed and counted (null: every tenant).</summary>
    public Security.TenantScope? Scope { get; init; }

    public const int MaxPageSize = 200;
}
