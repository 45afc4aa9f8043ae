namespace ControlPlane.Web.Api;

public static class HealthEndpoints
{
    /// <summary>
    /// <c>/health/live</c>: the process answers. A constant body with no I/O and no request metrics — it is the floor of
    /// the serving benchmark (decision 0023) and must stay as cheap as a request can be. Readiness (database, scheduler)
    /// is <c>/health/ready</c>, mapped with the health checks in <see cref="Observability.Observability"/>.
    /// </summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).AllowAnonymous().ExcludeFromDescription()
            .DisableHttpMetrics();
        return app;
    }
}
