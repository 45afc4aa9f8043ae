using ControlPlane.Core.Users;
using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Web.Api;

public static class AccountEndpoints
{
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        // A form post with the antiforgery token (required here: the endpoint binds no form, so it would not be checked
        // otherwise), never a GET that a link could trigger. Signing out renews the user's security stamp, which every
        // request checks: a copy of the cookie (another tab, a stolen one) stops working at once, everywhere.
        app.MapPost("/account/logout", async (HttpContext http,
            SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, System.Security.Claims.ClaimsPrincipal principal) =>
        {
            // The antiforgery middleware records whether the token is valid; only form binding would refuse on its own.
            if (http.Features.Get<Microsoft.AspNetCore.Antiforgery.IAntiforgeryValidationFeature>() is not { IsValid: true })
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The sign-out form is not valid.",
                    detail: "Sign out from the page's own Sign out button (the form carries a token another site cannot have).");
            }

            if (await users.GetUserAsync(principal) is { } user)
            {
                await users.UpdateSecurityStampAsync(user);
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect("~/account/login");
        }).RequireAuthorization().WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        return app;
    }
}
