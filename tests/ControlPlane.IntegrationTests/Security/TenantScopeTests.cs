using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ControlPlane.Core.Security;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.Web.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>
/// Issue 16, point 5, on the API: a token limited to tenants (or regions) reaches nothing of another tenant through any
/// route — every route of the API is enumerated, as the role tests do — while its own tenants work as before.
/// </summary>
public abstract partial class TenantScopeTests<TProvider>(ExecutorFixture<TProvider> fixture) : IClassFixture<ExecutorFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_token_limited_to_one_tenant_reaches_no_route_of_another_and_lists_only_its_own()
    {
        using var admin = App.CreateAdminClient();
        var mine = await TenantAsync(admin, "us");
        var other = await TenantAsync(admin, "eu");
        var otherRun = await admin.StartRunAsync(TestPipelines.Diamond, new Dictionary<string, string> { ["key"] = Probe.NewKey() }, other, "churn-risk");
        var myRun = await admin.StartRunAsync(TestPipelines.Diamond, new Dictionary<string, string> { ["key"] = Probe.NewKey() }, mine, "churn-risk");
        using var scoped = await TokenAsync(admin, Roles.Analyst, tenants: [mine]);

        // Every route of the API, with the other tenant (and the other tenant's run) in its path.
        var checkedRoutes = 0;
        foreach (var (method, path) in Routes(other, otherRun))
        {
            var response = await scoped.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = method is "POST" or "PUT" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
            });
            var text = await response.Content.ReadAsStringAsync();
            Assert.False(response.IsSuccessStatusCode, $"{method} {path} answered {(int)response.StatusCode}: {text}");
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest,
                $"{method} {path} answered {(int)response.StatusCode}: {text}");
            checkedRoutes++;
        }

        Assert.True(checkedRoutes >= 60, $"only {checkedRoutes} routes checked");

        // What lists across tenants shows only the caller's.
        var tenants = await (await scoped.GetAsync("/api/v1/tenants?pageSize=200")).Content.ReadAsStringAsync();
        var runs = await (await scoped.GetAsync("/api/v1/runs?pageSize=500")).Content.ReadAsStringAsync();
        Assert.Contains(mine, tenants, StringComparison.Ordinal);
        Assert.DoesNotContain(other, tenants, StringComparison.Ordinal);
        Assert.Contains(myRun.ToString(), runs, StringComparison.Ordinal);
        Assert.DoesNotContain(otherRun.ToString(), runs, StringComparison.Ordinal);
        Assert.DoesNotContain(other, await (await scoped.GetAsync("/api/v1/notifications")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Its own tenant works as before.
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/v1/tenants/{mine}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/v1/runs/{myRun}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/v1/tenants/{mine}/use-cases/churn-risk/rules")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync("/api/v1/use-cases")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.PostAsync("/api/v1/use-cases/churn-risk/retrain", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await scoped.PostJsonAsync("/api/v1/runs",
            new { pipeline = TestPipelines.Diamond, tenant = mine, useCase = "churn-risk", parameters = new Dictionary<string, string> { ["key"] = Probe.NewKey() } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.PostJsonAsync("/api/v1/runs",
            new { pipeline = TestPipelines.Diamond, tenant = other, useCase = "churn-risk", parameters = new Dictionary<string, string> { ["key"] = Probe.NewKey() } })).StatusCode);
    }

    [Fact]
    public async Task A_token_limited_to_a_region_sees_that_regions_tenants_only()
    {
        using var admin = App.CreateAdminClient();
        var inEu = await TenantAsync(admin, "eu");
        var inUs = await TenantAsync(admin, "us");
        using var scoped = await TokenAsync(admin, Roles.Viewer, regions: ["eu"]);

        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/v1/tenants/{inEu}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/api/v1/tenants/{inUs}")).StatusCode);
        var list = await (await scoped.GetAsync("/api/v1/tenants?pageSize=200")).ReadNodeAsync();
        Assert.All(list["items"]!.AsArray(), t => Assert.Equal("eu", t!["region"]!.GetValue<string>()));
        Assert.Contains(list["items"]!.AsArray(), t => t!["slug"]!.GetValue<string>() == inEu);
    }

    [Fact]
    public async Task Scopes_are_refused_for_admins_and_must_name_tenants_and_regions_that_exist()
    {
        using var admin = App.CreateAdminClient();

        var forAdmin = await admin.PostJsonAsync("/api/v1/tokens", new { name = "scoped-admin", role = Roles.Admin, tenants = new[] { "anyone" } });
        var unknown = await admin.PostJsonAsync("/api/v1/tokens", new { name = "scoped-x", role = Roles.Analyst, tenants = new[] { "no-such-tenant" }, regions = new[] { "mars" } });

        Assert.Equal(HttpStatusCode.BadRequest, forAdmin.StatusCode);
        Assert.Contains("An Admin cannot be limited", Assert.Single((await forAdmin.ReadNodeAsync()).FieldErrors("Tenants")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = await unknown.ReadNodeAsync();
        Assert.Contains("'no-such-tenant'", Assert.Single(problem.FieldErrors("Tenants")), StringComparison.Ordinal);
        Assert.Contains("'mars'", Assert.Single(problem.FieldErrors("Regions")), StringComparison.Ordinal);
    }

    /// <summary>Every API route (method and path), with the tenant and run ids filled in; admin-only routes too.</summary>
    private IEnumerable<(string Method, string Path)> Routes(string tenant, Guid run)
    {
        foreach (var endpoint in App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText;
            if (pattern is null || !pattern.StartsWith("/api/v1/", StringComparison.Ordinal) || pattern.StartsWith("/api/v1/predict", StringComparison.Ordinal)
                || pattern.StartsWith("/api/v1/feedback", StringComparison.Ordinal))
            {
                continue; // predict and feedback take tenant API keys, not tokens (their own tests)
            }

            var path = RouteValue().Replace(pattern, m => m.Groups["name"].Value switch
            {
                "tenant" => tenant,
                "runId" => run.ToString(),
                "useCase" => "churn-risk",
                _ => m.Groups["constraint"].Value switch { "int" => "1", "guid" => Guid.NewGuid().ToString(), _ => "x" },
            });
            var named = pattern.Contains("{tenant}", StringComparison.Ordinal) || pattern.Contains("{runId", StringComparison.Ordinal);
            var marked = endpoint.Metadata.GetMetadata<TenantScopeMetadata>() is not null;
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                // Routes of the caller's own view (filtered lists, neutral ones) answer; the list tests above check them.
                if (named || !marked)
                {
                    yield return (method, path);
                }
            }
        }
    }

    private static async Task<string> TenantAsync(HttpClient admin, string region)
    {
        var slug = TestSlugs.New("scope");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Scope {slug}", slug, region, useCases = new[] { "churn-risk" } })).EnsureSuccessStatusCode();
        return slug;
    }

    private async Task<HttpClient> TokenAsync(HttpClient admin, string role, string[]? tenants = null, string[]? regions = null)
    {
        var response = await admin.PostJsonAsync("/api/v1/tokens", new { name = $"scoped-{Guid.NewGuid():N}"[..20], role, tenants, regions });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return App.CreateTokenClient((await response.ReadNodeAsync())["secret"]!.GetValue<string>());
    }

    [GeneratedRegex(@"\{(?<name>\w+)(:(?<constraint>\w+))?\}")]
    private static partial Regex RouteValue();
}

public sealed class TenantScopeTestsOnSqlite(ExecutorFixture<Sqlite> fixture) : TenantScopeTests<Sqlite>(fixture);

public sealed class TenantScopeTestsOnPostgres(ExecutorFixture<Postgres> fixture) : TenantScopeTests<Postgres>(fixture);
