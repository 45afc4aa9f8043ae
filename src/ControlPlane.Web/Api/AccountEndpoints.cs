using ControlPlane.Core.Users;
using Microsoft.AspNetCore.Identity;

namespace ControlPlane.Web.Api;

public static class AccountEndpoints
{
    public static WebApplication MapAccountEndpoints(this WebApplication app)
    {
        // A form post with the antiforgery token (checked by UseAntiforgery), never a GET that a link could trigger.
        app.MapPost("/account/logout", async (SignInManager<ApplicationUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/account/login");
        }).RequireAuthorization();
        return app;
    }
}
