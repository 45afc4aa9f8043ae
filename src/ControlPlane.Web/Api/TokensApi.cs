using System.Security.Claims;
using ControlPlane.Core.Security;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("API tokens").RequireAuthorization(Policies.Administer);
        group.MapGet("", async (ApiTokenService tokens, CancellationToken ct) => TypedResults.Ok(await tokens.ListAsync(ct)))
            .WithName("ListTokens");
        group.MapPost("", CreateToken).WithName("CreateToken").WithSummary("Create an admin API token; the secret is shown only this once.");
        group.MapDelete("/{id:guid}", RevokeToken).WithName("RevokeToken");
        return group;
    }

    public static async Task<IResult> CreateToken(CreateApiTokenRequest request, ApiTokenService tokens, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await tokens.CreateAsync(request, user.Actor(), ct);
        return result.IsOk ? TypedResults.Created($"/api/v1/tokens/{result.Value!.Token.Id}", result.Value) : ApiResults.Problem(result);
    }

    public static async Task<IResult> RevokeToken(Guid id, ApiTokenService tokens, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await tokens.RevokeAsync(id, user.Actor(), ct);
        return result.IsOk ? TypedResults.Ok(result.Value) : ApiResults.Problem(result);
    }
}
