namespace ControlPlane.Web.Auth;

/// <summary>
/// Headers every response carries (issue 16, point 10; decision 0040): no MIME sniffing, no full URLs leaked in
/// Referer, HSTS on HTTPS, and a Content-Security-Policy — for pages one the Blazor app and MudBlazor work under, for
/// the API and machine endpoints one that allows nothing at all (they serve data, never documents to render).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts and styles from this origin only. 'unsafe-inline' for scripts covers the import map Blazor writes inline
    /// (its content changes with every build); styles need it for MudBlazor's inline styles. The Blazor circuit uses a
    /// WebSocket to this origin.
    /// </summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers["X-Content-Type-Options"] = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                if (context.Request.IsHttps)
                {
                    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
                }

                var path = context.Request.Path;
                var machine = path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health")
                    || path.StartsWithSegments("/metrics");
                // Blazor may have set its own frame-ancestors policy; a second header is enforced as well (both must pass).
                headers.Append("Content-Security-Policy", machine ? ApiPolicy : PagePolicy);
                if (!headers.ContainsKey("X-Frame-Options"))
                {
                    headers["X-Frame-Options"] = machine ? "DENY" : "SAMEORIGIN";
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
