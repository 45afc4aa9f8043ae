using System.Net;
using ControlPlane.Core.Security;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Security;

public abstract class AuthorizationTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Every_api_route_answers_401_to_an_anonymous_request()
    {
        var routes = Endpoints().Where(e => e.Pattern.StartsWith("api/", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 10, $"expected the API's routes, found {routes.Count}");
        using var client = App.CreateAnonymousClient();

        foreach (var (pattern, method) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "/" + FillRoute(pattern));
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            }

            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} /{pattern} answered {(int)response.StatusCode} to an anonymous request");
        }
    }

    [Fact]
    public async Task Every_page_sends_an_anonymous_visitor_to_sign_in()
    {
        var pages = App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !p.StartsWith("account/", StringComparison.Ordinal) && p != "not-found")
            .Distinct().ToList();
        Assert.Contains("tenants/new", pages);
        using var client = App.CreateAnonymousClient();

        foreach (var page in pages)
        {
            var response = await client.GetAsync("/" + FillRoute(page));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"/{page} answered {(int)response.StatusCode}");
            Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_api_description_is_for_signed_in_users_and_token_holders()
    {
        using var anonymous = App.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/api-reference/")).StatusCode);

        using var viewer = App.CreateTokenClient(await CreateTokenAsync(Roles.Viewer));
        var document = await viewer.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        var paths = (await document.ReadNodeAsync())["paths"]!.AsObject();
        Assert.Contains("/api/v1/tenants", paths.Select(p => p.Key));

        using var browser = App.CreateBrowserLikeClient();
        await browser.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api-reference/")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_may_read_but_not_create_a_tenant()
    {
        using var viewer = App.CreateTokenClient(await CreateTokenAsync(Roles.Viewer));

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/tenants")).StatusCode);
        var response = await viewer.PostJsonAsync("/api/v1/tenants", new { name = "Nope", slug = TestSlugs.New(), region = "us" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Viewer", (await response.ReadNodeAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostJsonAsync("/api/v1/use-cases", new { key = "x-y-z" })).StatusCode);
    }

    [Fact]
    public async Task An_analyst_may_define_use_cases_but_not_onboard_tenants_or_manage_tokens()
    {
        using var analyst = App.CreateTokenClient(await CreateTokenAsync(Roles.Analyst));

        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostJsonAsync("/api/v1/tenants", new { name = "N", slug = TestSlugs.New(), region = "us" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/v1/tokens")).StatusCode);
        var created = await analyst.PostJsonAsync("/api/v1/use-cases", new
        {
            key = TestSlugs.New("uc"), name = "Upsell", taskType = "Binary", labelColumn = "upsold", entityKeyColumn = "account_id",
            features = new[] { new { name = "seats", type = "Number" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_starts_system_maintenance_by_hand()
    {
        using var analyst = App.CreateTokenClient(await CreateTokenAsync(Roles.Analyst));
        var pipelines = await (await analyst.GetAsync("/api/v1/pipelines")).ReadNodeAsync();
        Assert.True(pipelines.AsArray().Single(p => p!["name"]!.GetValue<string>() == "housekeeping")!["adminOnly"]!.GetValue<bool>());

        var refused = await analyst.PostJsonAsync("/api/v1/runs", new { pipeline = "housekeeping" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Only admins start pipeline 'housekeeping' by hand.", (await refused.ReadNodeAsync())["detail"]!.GetValue<string>());
        Assert.Equal(0, await App.WithDbAsync(db => db.PipelineRuns.CountAsync(r => r.Pipeline == "housekeeping")));

        using var admin = App.CreateAdminClient();
        var started = await admin.PostJsonAsync("/api/v1/runs", new { pipeline = "housekeeping" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(1, await App.WithDbAsync(db => db.PipelineRuns.CountAsync(r => r.Pipeline == "housekeeping")));

        // Nor is it scheduled per enrollment: it runs on its own sweep.
        var slug = TestSlugs.New("hk");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = slug, slug, region = "us", useCases = new[] { "churn-risk" } })).EnsureSuccessStatusCode();
        var schedule = await admin.PostJsonAsync($"/api/v1/tenants/{slug}/use-cases/churn-risk/schedules", new { pipeline = "housekeeping", cron = "0 3 * * *" });
        Assert.Equal(HttpStatusCode.BadRequest, schedule.StatusCode);
        Assert.Contains("Pipeline 'housekeeping' is system maintenance, run by its own sweep; it cannot be scheduled per enrollment.",
            (await schedule.ReadNodeAsync()).FieldErrors("Pipeline"));
    }

    [Fact]
    public async Task Wrong_malformed_and_revoked_tokens_are_refused_with_a_reason()
    {
        using var wrong = App.CreateTokenClient("cpt_AAAAAAAA_" + new string('B', 32));
        var response = await wrong.GetAsync("/api/v1/tenants");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("unknown, expired or revoked", (await response.ReadNodeAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var basic = App.CreateAnonymousClient();
        basic.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "YWRtaW46YWRtaW4=");
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync("/api/v1/tenants")).StatusCode);

        using var admin = App.CreateAdminClient();
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "short-lived", role = "Viewer" })).ReadNodeAsync();
        using var client = App.CreateTokenClient(issued["secret"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/use-cases")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/tokens/{issued["token"]!["id"]!.GetValue<Guid>()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/use-cases")).StatusCode);
    }

    [Fact]
    public async Task Token_creation_rejects_an_unknown_role_by_name()
    {
        using var admin = App.CreateAdminClient();
        var response = await admin.PostJsonAsync("/api/v1/tokens", new { name = "x", role = "Superuser" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.ReadNodeAsync()).FieldErrors("Role"), m => m.Contains("'Superuser' is unknown", StringComparison.Ordinal));
    }

    private async Task<string> CreateTokenAsync(string role)
    {
        using var admin = App.CreateAdminClient();
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = $"{role}-token", role })).ReadNodeAsync();
        return issued["secret"]!.GetValue<string>();
    }

    private IEnumerable<(string Pattern, string Method)> Endpoints() =>
        App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (e.RoutePattern.RawText!.TrimStart('/'), m)));

    private static string FillRoute(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "\\{([^}:]+)(:[^}]+)?\\}", m =>
            m.Groups[2].Value.Contains("guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : "some-value");
}

public sealed class AuthorizationTestsOnSqlite(AppFixture<Sqlite> fixture) : AuthorizationTests<Sqlite>(fixture);

public sealed class AuthorizationTestsOnPostgres(AppFixture<Postgres> fixture) : AuthorizationTests<Postgres>(fixture);
