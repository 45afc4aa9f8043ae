using System.Security.Claims;

namespace ControlPlane.Web.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>Who did it, for audit fields: the user's email or the API token's name.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
