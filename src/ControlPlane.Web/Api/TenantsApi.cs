using System.Security.Claims;
using ControlPlane.Core.Common;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace ControlPlane.Web.Api;

public static class TenantsApi
{
    public static RouteGroupBuilder MapTenantsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tenants").WithTags("Tenants");
        group.MapGet("", ListTenants).WithName("ListTenants").WithSummary("Search, sort and page tenants.").ScopeFiltered();
        group.MapPost("", CreateTenant).WithName("CreateTenant").RequireAuthorization(Policies.Administer)
            .WithSummary("Onboard a tenant; the response holds its API key, shown only this once.");
        group.MapGet("/{tenant}", GetTenant).WithName("GetTenant").WithSummary("A tenant with its enrollments and API keys.");
        group.MapDelete("/{tenant}", OffboardTenant).WithName("OffboardTenant").RequireAuthorization(Policies.Administer)
            .WithSummary("Offboard a tenant: deletes its data and artifacts. Requires ?confirm={tenant}.");
        group.MapPost("/{tenant}/api-keys/rotate", RotateKey).WithName("RotateTenantKey").RequireAuthorization(Policies.Administer)
            .WithSummary("Issue a new API key (shown only this once); the old ones keep working for ?overlapHours= hours " +
                "(ControlPlane:Serving:KeyRotationOverlap, 24 by default; 0 revokes them at once) so callers can switch without an outage.");
        group.MapDelete("/{tenant}/api-keys/{keyId:guid}", RevokeKey).WithName("RevokeTenantKey").RequireAuthorization(Policies.Administer)
            .WithSummary("Revoke one API key.");
        group.MapPost("/{tenant}/use-cases/{useCase}", Enroll).WithName("Enroll").RequireAuthorization(Policies.Analyze)
            .WithSummary("Enroll the tenant in a use case.");
        return group;
    }

    public static async Task<IResult> ListTenants(
        TenantService tenants, System.Security.Claims.ClaimsPrincipal user, string? search, string? region, string? useCase, TenantSort? sort,
        bool? desc, int? page, int? pageSize, CancellationToken ct)
    {
        if (pageSize is < 1 or > TenantQuery.MaxPageSize)
        {
            return ApiResults.Problem(Result<object>.Invalid(nameof(pageSize), $"pageSize must be between 1 and {TenantQuery.MaxPageSize}."));
        }

        if (page is < 0)
        {
            return ApiResults.Problem(Result<object>.Invalid(nameof(page), "page is zero-based and may not be negative."));
        }

        var query = new TenantQuery
        {
            Search = search, Region = region, UseCase = useCase, SortBy = sort ?? TenantSort.Name, Descending = desc ?? false,
            Page = page ?? 0, PageSize = pageSize ?? 25, Scope = ControlPlane.Core.Security.TenantScope.Of(user),
        };
        return TypedResults.Ok(await tenants.ListAsync(query, ct));
    }

    public static async Task<IResult> CreateTenant(CreateTenantRequest request, TenantService tenants, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await tenants.CreateAsync(request, user.Actor(), upload: null, ct);
        return result.IsOk
            ? TypedResults.Created($"/api/v1/tenants/{result.Value!.Tenant.Slug}", result.Value)
            : ApiResults.Problem(result);
    }

    public static async Task<IResult> GetTenant(string tenant, TenantService tenants, CancellationToken ct) =>
        await tenants.GetAsync(tenant, ct) is { } details
            ? TypedResults.Ok(details)
            : ApiResults.NotFound($"Tenant '{tenant}' does not exist.");

    public static async Task<IResult> OffboardTenant(
        string tenant, [FromQuery] string? confirm, TenantService tenants, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await tenants.OffboardAsync(tenant, confirm, user.Actor(), ct);
        return result.IsOk ? TypedResults.Ok(result.Value) : ApiResults.Problem(result);
    }

    public static async Task<IResult> RotateKey(string tenant, double? overlapHours, TenantService tenants, ClaimsPrincipal user, CancellationToken ct)
    {
        if (overlapHours is { } h && !(h >= 0 && h <= TenantService.MaxRotationOverlap.TotalHours))
        {
            return ApiResults.Problem(Result<ApiKeyIssued>.Invalid("overlapHours",
                $"overlapHours is how long the old key keeps working: 0 (revoked at once) to {TenantService.MaxRotationOverlap.TotalHours:0} hours (30 days); it was {h.ToString(System.Globalization.CultureInfo.InvariantCulture)}."));
        }
        var result = await tenants.RotateKeyAsync(tenant, user.Actor(), overlapHours is { } hours ? TimeSpan.FromHours(hours) : null, ct);
        return result.IsOk ? TypedResults.Created($"/api/v1/tenants/{tenant}", result.Value) : ApiResults.Problem(result);
    }

    public static async Task<IResult> RevokeKey(string tenant, Guid keyId, TenantService tenants, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await tenants.RevokeKeyAsync(tenant, keyId, user.Actor(), ct);
        return result.IsOk ? TypedResults.Ok(result.Value) : ApiResults.Problem(result);
    }

    public static async Task<IResult> Enroll(string tenant, string useCase, EnrollmentService enrollments, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await enrollments.EnrollAsync(tenant, useCase, user.Actor(), ct);
        return result.IsOk
            ? TypedResults.Created($"/api/v1/tenants/{tenant}/use-cases/{useCase}", result.Value)
            : ApiResults.Problem(result);
    }
}
