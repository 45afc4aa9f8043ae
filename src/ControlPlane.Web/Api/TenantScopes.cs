using ControlPlane.Core.Data;
using ControlPlane.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Web.Api;

/// <summary>How an API route without a tenant in its path stands to a scoped caller.</summary>
public enum ScopeRule
{
    /// <summary>Not tenant data (use cases, regions, pipeline names): open to every caller.</summary>
    Neutral,

    /// <summary>The handler narrows what it returns to the caller's tenants.</summary>
    Filtered,
}

public sealed record TenantScopeMetadata(ScopeRule Rule);

/// <summary>
/// Tenant scopes on the API (issue 16, point 5; decision 0044), deny by default. For a scoped caller (an Analyst or
/// Viewer token limited to tenants or regions):
/// a route with a <c>{tenant}</c> in its path answers 404 outside the scope (the same answer as for a tenant that does
/// not exist); a route on one run, schedule or notification by id likewise, judged by the tenant it belongs to; a
/// route marked <see cref="ScopeRule.Filtered"/> returns only the caller's tenants; a route marked
/// <see cref="ScopeRule.Neutral"/> is open; and every other route — anything across tenants nobody thought of — is 403.
/// </summary>
public static class TenantScopes
{
    public static TBuilder ScopeNeutral<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new TenantScopeMetadata(ScopeRule.Neutral));

    public static TBuilder ScopeFiltered<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new TenantScopeMetadata(ScopeRule.Filtered));

    /// <summary>
    /// The check, as middleware after authorization and before the endpoint binds anything (an upload is refused
    /// before it is read). API routes and prediction downloads; pages check through <c>TenantScopeGuard</c>.
    /// </summary>
    public static WebApplication UseTenantScopes(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if ((context.Request.Path.StartsWithSegments("/api/v1") || context.Request.Path.StartsWithSegments("/downloads"))
                && context.GetEndpoint() is { } endpoint
                && TenantScope.Of(context.User) is { } scope && await RefusalAsync(context, endpoint, scope) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    private static async Task<IResult?> RefusalAsync(HttpContext http, Endpoint endpoint, TenantScope scope)
    {
        var access = http.RequestServices.GetRequiredService<TenantAccess>();
        var ct = http.RequestAborted;
        if (http.Request.RouteValues.TryGetValue("tenant", out var tenant) && tenant is string slug)
        {
            return await access.AllowsAsync(scope, slug, ct) ? null : NotFound($"Tenant '{slug}' was not found.");
        }

        if (await OwnerOfAsync(http) is { } owned)
        {
            return await access.AllowsAsync(scope, owned.Tenant, ct) ? null : NotFound($"{owned.What} was not found.");
        }

        return endpoint.Metadata.GetMetadata<TenantScopeMetadata>() is not null
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.",
                detail: $"This caller is limited to {scope.Describe()}; {http.Request.Method} {http.Request.Path} reaches across tenants.");
    }

    /// <summary>For routes on one run, schedule or notification: the tenant it belongs to (null tenant: none), or null when the route is on none.</summary>
    private static async Task<(string What, string? Tenant)?> OwnerOfAsync(HttpContext http)
    {
        var values = http.Request.RouteValues;
        var path = http.Request.Path;
        var dbs = http.RequestServices.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        if (values.TryGetValue("runId", out var run) && Guid.TryParse(run as string, out var runId))
        {
            return ($"Run {runId}", await http.RequestServices.GetRequiredService<TenantAccess>().TenantOfRunAsync(runId, http.RequestAborted));
        }

        if (values.TryGetValue("id", out var raw) && Guid.TryParse(raw as string, out var id))
        {
            await using var db = await dbs.CreateDbContextAsync(http.RequestAborted);
            if (path.StartsWithSegments("/api/v1/schedules"))
            {
                return ($"Schedule {id}", await db.PipelineSchedules.Where(s => s.Id == id).Select(s => s.TenantSlug).FirstOrDefaultAsync(http.RequestAborted));
            }

            if (path.StartsWithSegments("/api/v1/notifications"))
            {
                return ($"Notification {id}", await db.Notifications.Where(n => n.Id == id).Select(n => n.TenantSlug).FirstOrDefaultAsync(http.RequestAborted));
            }
        }

        return null;
    }

    private static IResult NotFound(string detail) => ApiResults.NotFound(detail);
}
