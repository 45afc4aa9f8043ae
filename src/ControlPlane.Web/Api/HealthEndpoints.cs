namespace ControlPlane.Web.Api;

public static class HealthEndpoints
{
    /// <summary>
    /// <c>/health/live</c>: the process answers. A constant body with no I/O. It is the floor of the serving benchmark
    /// (decision 0023), which compares predict with a request through the same pipeline, so it is recorded in the request
    /// metrics like every other route (one series). Readiness (database, scheduler) is <c>/health/ready</c>, mapped with
    /// the health checks in <see cref="Observability.Observability"/>.
    /// </summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
