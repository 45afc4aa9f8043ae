using System.Security.Claims;
using ControlPlane.Core.Security;
using ControlPlane.Core.Users;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

/// <summary>Users for administrators: the list, and each user's tenant scope (decision 0044). Creating users stays in the UI.</summary>
public static class UsersApi
{
    public sealed record ScopeRequest(IReadOnlyList<string>? Tenants, IReadOnlyList<string>? Regions);

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Administer);
        group.MapGet("", async (UserAdminService users, CancellationToken ct) => TypedResults.Ok(await users.ListAsync(ct)))
            .WithName("ListUsers").WithSummary("Users with their role and tenant scope.");
        group.MapPut("/{id}/scope", SetScope).WithName("SetUserScope")
            .WithSummary("Limit an Analyst or Viewer to tenants and/or regions ({\"tenants\": [...], \"regions\": [...]}); both empty: every tenant.");
        return group;
    }

    public static async Task<IResult> SetScope(string id, ScopeRequest request, UserAdminService users, ClaimsPrincipal user) =>
        ApiResults.Ok(await users.SetScopeAsync(id, request.Tenants, request.Regions, user.Actor()), u => u);
}
