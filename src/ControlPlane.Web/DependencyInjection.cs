using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Core.Security;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Users;
using ControlPlane.Web.Api;
using ControlPlane.Web.Auth;
using ControlPlane.Web.Components;
using ControlPlane.Web.Observability;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Scalar.AspNetCore;

namespace ControlPlane.Web;

public static class DependencyInjection
{
    private const string SelectScheme = "ControlPlane";

    public static IHostApplicationBuilder AddControlPlaneWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddProblemDetails();
        services.AddOpenApi();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddHttpContextAccessor();
        // Nodes that serve predictions warm their model cache at start with what they served before they stopped.
        services.AddSingleton<ModelWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelWarmUp>());

        AddAuthentication(services);
        services.AddControlPlaneObservability();
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Read, p => p.RequireRole(Roles.Admin, Roles.Analyst, Roles.Viewer))
            .AddPolicy(Policies.Analyze, p => p.RequireRole(Roles.Admin, Roles.Analyst))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin));
        return builder;
    }

    private static void AddAuthentication(IServiceCollection services)
    {
        // API routes authenticate only by bearer token (never by cookie, so no cross-site request can ride a session);
        // pages authenticate by the Identity cookie. A request that brings a bearer token is judged by it anywhere
        // (e.g. a script fetching the OpenAPI document).
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SelectScheme;
                o.DefaultChallengeScheme = SelectScheme;
            })
            .AddPolicyScheme(SelectScheme, "Cookie for pages, bearer token for /api", o =>
                o.ForwardDefaultSelector = ctx =>
                    ctx.Request.Path.StartsWithSegments("/api")
                    || ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? ApiTokenAuthenticationHandler.SchemeName
                        : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        // Users, roles and their stores are the Core's; the web adds signing in with a cookie.
        new IdentityBuilder(typeof(ApplicationUser), typeof(IdentityRole), services).AddSignInManager();
        // Every request with a cookie checks the user's security stamp: sign-out (which renews it), a password reset or
        // a removed role end the session at once rather than within the default half hour.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<CurrentScope>();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/access-denied";
            o.Cookie.Name = "ControlPlane.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
    }

    public static WebApplication UseControlPlaneWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseApiFaults(); // inside the pages' handler: API routes get a JSON problem, never the HTML error page

        app.UseSecurityHeaders();
        app.UseStatusCodePages();
        var assets = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        if (Directory.Exists(assets))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(assets) });
        }

        app.UseTenantLogScope();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseQueryValueChecks();
        // Deny by default for callers limited to tenants: every API route names its tenant, is marked, or is refused.
        app.UseTenantScopes();
        app.UseIdempotencyKeys();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>An executor-only node runs tasks and answers health checks; users and API clients go to the other nodes.</summary>
    private static bool ServesNothingButTasks(WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ControlPlane.Executor.ExecutorOptions>>().Value.NodeRole
            == ControlPlane.Executor.NodeRole.Executor;

    public static WebApplication MapControlPlaneApi(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapObservabilityEndpoints();
        if (ServesNothingButTasks(app))
        {
            return app;
        }

        // The API's description is for signed-in users and token holders, like everything else.
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(Policies.Read);
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("ControlPlane API").DisableDefaultFonts()) // no fonts from a CDN: the page policy allows this origin only
            .RequireAuthorization(Policies.Read);

        app.MapPredictApi();
        app.MapPredictionDownloads();
        app.MapTemplateDownloads();
        var api = app.MapGroup("/api/v1").DisableAntiforgery().RequireAuthorization(Policies.Read);
        api.MapTenantsApi();
        api.MapUseCasesApi();
        api.MapRegionsApi();
        api.MapTokensApi();
        api.MapUsersApi();
        api.MapRunsApi();
        api.MapSchedulesApi();
        api.MapDatasetsApi();
        api.MapDataSourcesApi();
        api.MapRulesApi();
        api.MapRetrainApi();
        api.MapSlaApi();
        api.MapScoringApi();
        api.MapDriftApi();
        api.MapPerformanceApi();
        api.MapModelsApi();
        api.MapWebhooksApi();
        api.MapNotificationsApi();
        api.MapMonitoringApi();
        return app;
    }

    public static WebApplication MapControlPlaneUi(this WebApplication app)
    {
        if (ServesNothingButTasks(app))
        {
            return app;
        }

        app.MapStaticAssets().AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
