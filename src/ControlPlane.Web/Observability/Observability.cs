using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Security;
using ControlPlane.Core.Serving;
using ControlPlane.Executor.Engine;
using ControlPlane.Web.Auth;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace ControlPlane.Web.Observability;

/// <summary>
/// Metrics for Prometheus at <c>/metrics</c> (OpenTelemetry: the product's meters, ASP.NET Core's request metrics and
/// the .NET runtime's) and readiness at <c>/health/ready</c>. See docs/observability.md and decision 0025.
/// </summary>
public static class Observability
{
    /// <summary>Who may scrape: any API token (admin, analyst or viewer) as a Bearer header, never a cookie.</summary>
    public const string ScrapePolicy = "MetricsScrape";

    public static IServiceCollection AddControlPlaneObservability(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ModelCache.MeterName, ExecutorMetrics.MeterName, StatusGauges.MeterName)
            .AddAspNetCoreInstrumentation()
            // Routing counts a match attempt per request: nothing the request duration's route label does not already
            // say, and a dropped instrument is not listened to (one metric write less on every request).
            .AddView("aspnetcore.routing.match_attempts", MetricStreamConfiguration.Drop)
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        services.AddAuthorizationBuilder().AddPolicy(ScrapePolicy, p => p
            .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
            .RequireRole(Roles.Admin, Roles.Analyst, Roles.Viewer));
        return services;
    }

    public static WebApplication MapObservabilityEndpoints(this WebApplication app)
    {
        // Scraping is not a request worth a latency series of its own.
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(ScrapePolicy).DisableHttpMetrics();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = WriteReadinessAsync,
        }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// <c>{"status": "Healthy", "checks": [{"name", "status", "description"}]}</c>: each check's own short text only —
    /// never an exception, a connection string or timing details an anonymous caller could use.
    /// </summary>
    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? (e.Value.Status == HealthStatus.Healthy ? "OK" : "Failed."),
            }),
        }));
    }
}
