using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace ControlPlane.Web.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>Who did it, for audit fields: the user's email or the API token's name.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    /// <summary>The signed-in user of a component's cascading authentication state, for audit fields.</summary>
    public static async Task<string> ActorAsync(this Task<AuthenticationState>? state) =>
        state is null ? "anonymous" : (await state).User.Actor();
}
