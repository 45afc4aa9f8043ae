using ControlPlane.Core.Monitoring.CrossTenant;
using ControlPlane.Core.Monitoring.Sla;
using ControlPlane.Core.Security;

namespace ControlPlane.Web.Api;

/// <summary>SLA adherence of one enrollment and a use case's drift across its tenants: what the SLA panel and the cross-tenant view show.</summary>
public static class SlaApi
{
    public static RouteGroupBuilder MapSlaApi(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants/{tenant}/use-cases/{useCase}/slas", Adherence).WithName("SlaAdherence").WithTags("Monitoring")
            .RequireAuthorization(Policies.Read)
            .WithSummary("Each SLA's adherence over the last ?days= (default 30) days: met of judged days, every day (met, missed or not judged) and the misses.");
        api.MapGet("/use-cases/{useCase}/drift", AcrossTenants).WithName("UseCaseDriftAcrossTenants").WithTags("Monitoring")
            .RequireAuthorization(Policies.Read).ScopeFiltered()
            .WithSummary("The use case's drift across its tenants: each tenant's drift status and the PSI of every feature in its latest drift window.");
        api.MapGet("/use-cases/{useCase}/cost-value", CostAndValue).WithName("UseCaseCostValue").WithTags("Monitoring")
            .RequireAuthorization(Policies.Read).ScopeFiltered()
            .WithSummary("Cost and value per tenant: training CPU-seconds, artifact bytes, predictions kept, requests served in 30 days, and the lift of the tenant's own model over the pooled one with its 95 % interval — whether the own model is worth it.");
        return api;
    }

    public static async Task<IResult> Adherence(string tenant, string useCase, SlaAdherenceService adherence, CancellationToken ct, int days = 30) =>
        ApiResults.Ok(await adherence.GetAsync(tenant, useCase, days, ct), slas => new { tenant, useCase, days, slas });

    public static async Task<IResult> CostAndValue(string useCase, ControlPlane.Core.Monitoring.Fleet.CostValue costs, ControlPlane.Core.Security.TenantAccess access,
        System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) =>
        await costs.GetAsync(useCase, await access.SlugsAsync(ControlPlane.Core.Security.TenantScope.Of(user), ct), ct) is { } found
            ? TypedResults.Ok(found)
            : ApiResults.NotFound($"Use case '{useCase}' does not exist.");

    public static async Task<IResult> AcrossTenants(string useCase, UseCaseDriftService drift, ControlPlane.Core.Security.TenantAccess access,
        System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) =>
        await drift.GetAsync(useCase, ct) is { } found
            ? TypedResults.Ok(new
            {
                found.UseCase, found.Name, found.Features,
                Tenants = (await access.SlugsAsync(ControlPlane.Core.Security.TenantScope.Of(user), ct) is { } only
                    ? found.Tenants.Where(t => only.Contains(t.Slug, StringComparer.Ordinal)) : found.Tenants).Select(t => new { t.Slug, t.Name, t.Status, t.Note, t.Day, Top = t.Top().Select(f => f.Feature), Features = t.Features.Values }),
            })
            : ApiResults.NotFound($"Use case '{useCase}' does not exist.");
}
