using System.Security.Claims;
using ControlPlane.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Users;

/// <summary>
/// The signed-in user's principal, with the tenant scope as a claim (decision 0044). The security stamp is checked on
/// every request and the principal rebuilt from here, so a changed scope applies at the next request.
/// </summary>
public sealed class ScopedClaimsPrincipalFactory(
    UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (TenantScope.Parse(user.Scope) is { } scope)
        {
            identity.AddClaim(new Claim(TenantScope.ClaimType, scope.Serialize()));
        }

        return identity;
    }
}
