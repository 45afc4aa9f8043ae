using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Web.Api;

public static class HealthEndpoints
{
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/health/ready", async (IDbContextFactory<ControlPlaneDbContext> dbs, CancellationToken ct) =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            return await db.Database.CanConnectAsync(ct)
                ? Results.Ok(new { status = "ready", database = "up" })
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready.", detail: "The database is unreachable.");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
