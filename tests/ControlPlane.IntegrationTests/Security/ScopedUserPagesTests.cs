using System.Net;
using System.Net.Http.Json;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Security;
using ControlPlane.Core.Users;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>
/// Issue 16, point 5, in the pages: a user limited to one tenant sees it and nothing of another — the home matrix,
/// another tenant's pages, another tenant's run, notifications — and the limit applies at the next request.
/// </summary>
public abstract class ScopedUserPagesTests<TProvider>(ExecutorFixture<TProvider> fixture) : IClassFixture<ExecutorFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_user_limited_to_one_tenant_sees_only_it_in_the_pages()
    {
        using var admin = App.CreateAdminClient();
        var mine = await TenantAsync(admin);
        var other = await TenantAsync(admin);
        var otherRun = await admin.StartRunAsync(TestPipelines.Diamond, new Dictionary<string, string> { ["key"] = Probe.NewKey() }, other, "churn-risk");
        var otherId = await App.WithDbAsync(db => db.Tenants.Where(t => t.Slug == other).Select(t => t.Id).SingleAsync());
        await App.Services.GetRequiredService<AlertService>().RaiseAsync(new AlertRequest("drift", AlertSeverity.Warning, $"Drift at {other}", "x", TenantId: otherId));
        var email = $"{Guid.NewGuid():N}@test.local";
        const string password = "Scoped-Passw0rd";
        var user = await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>()
            .CreateAsync(new CreateUserRequest { Email = email, Role = Roles.Analyst, Password = password }, "admin"));
        using var browser = App.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, password)).StatusCode);
        Assert.Contains(other, await PageAsync(browser, "/"), StringComparison.Ordinal); // unlimited so far

        var limited = await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>().SetScopeAsync(user.Value!.User.Id, [mine], [], "admin"));
        Assert.True(limited.IsOk, limited.Message);

        // The same session, the next request: limited.
        var home = await PageAsync(browser, "/");
        Assert.Contains(mine, home, StringComparison.Ordinal);
        Assert.DoesNotContain(other, home, StringComparison.Ordinal);
        var otherPage = await PageAsync(browser, $"/tenants/{other}");
        Assert.Contains($"Tenant &#x27;{other}&#x27; was not found.", otherPage, StringComparison.Ordinal);
        Assert.DoesNotContain($"Scope {other}", otherPage, StringComparison.Ordinal);
        Assert.Contains("was not found", await PageAsync(browser, $"/tenants/{other}/use-cases/churn-risk/models"), StringComparison.Ordinal);
        Assert.Contains($"Run {otherRun} was not found.", await PageAsync(browser, $"/runs/{otherRun}"), StringComparison.Ordinal);
        Assert.DoesNotContain(other, await PageAsync(browser, "/notifications"), StringComparison.Ordinal);
        Assert.Contains($"Scope {mine}", await PageAsync(browser, $"/tenants/{mine}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_page_shows_a_scoped_user_nothing_of_another_tenant()
    {
        using var admin = App.CreateAdminClient();
        var mine = await TenantAsync(admin);
        var other = await TenantAsync(admin);
        var otherRun = await admin.StartRunAsync(TestPipelines.Diamond, new Dictionary<string, string> { ["key"] = Probe.NewKey() }, other, "churn-risk");
        var email = $"{Guid.NewGuid():N}@test.local";
        const string password = "Scoped-Passw0rd";
        var user = await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>()
            .CreateAsync(new CreateUserRequest { Email = email, Role = Roles.Analyst, Password = password }, "admin"));
        await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>().SetScopeAsync(user.Value!.User.Id, [mine], [], "admin"));
        using var browser = App.CreateBrowserLikeClient();
        await browser.SignInAsync(email, password);
        var pages = App.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)
            .Select(e => e.RoutePattern.RawText!)
            .Where(p => !p.StartsWith("/account/", StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.True(pages.Count >= 20, $"{pages.Count} pages");

        foreach (var pattern in pages)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(?<name>\w+)(:(?<constraint>\w+))?\}", m => m.Groups["name"].Value switch
            {
                "Slug" => other,
                "UseCase" or "Key" => "churn-risk",
                "Id" => otherRun.ToString(),
                _ => "1",
            });
            if (path == "/models/compare")
            {
                path += $"?v={other}/churn-risk/1";
            }

            var response = await browser.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Redirect, $"{path} answered {(int)response.StatusCode}");
            // The other tenant may appear only where the path itself names it, in the words for something missing.
            var shown = text.Replace($"Tenant &#x27;{other}&#x27; was not found.", "", StringComparison.Ordinal)
                .Replace($"{other}/churn-risk/1 was not found.", "", StringComparison.Ordinal);
            Assert.False(shown.Contains($"Scope {other}", StringComparison.Ordinal), $"{path} shows the other tenant's name");
            if (!pattern.Contains("{Slug}", StringComparison.Ordinal))
            {
                Assert.False(System.Text.RegularExpressions.Regex.IsMatch(shown, $@"(?<![\w-]){System.Text.RegularExpressions.Regex.Escape(other)}(?![\w-])")
                        && !path.Contains(other, StringComparison.Ordinal),
                    $"{path} shows the other tenant's slug");
            }
        }
    }

    [Fact]
    public async Task An_admin_cannot_be_limited_and_a_scope_names_only_tenants_that_exist()
    {
        var admins = await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>().ListAsync());
        var admin = admins.Single(u => u.Email == ControlPlaneApp.AdminEmail);

        var result = await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>().SetScopeAsync(admin.Id, ["anyone"], [], "admin"));

        Assert.False(result.IsOk);
        Assert.Contains("An Admin cannot be limited", result.Errors["Tenants"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admins_set_a_users_scope_through_the_api_and_others_may_not()
    {
        using var admin = App.CreateAdminClient();
        var mine = await TenantAsync(admin);
        var email = $"{Guid.NewGuid():N}@test.local";
        var user = await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>()
            .CreateAsync(new CreateUserRequest { Email = email, Role = Roles.Viewer, Password = "Scoped-Passw0rd" }, "admin"));
        var id = user.Value!.User.Id;
        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "not-admin", role = Roles.Analyst })).ReadNodeAsync();
        using var analyst = App.CreateTokenClient(issued["secret"]!.GetValue<string>());

        var set = await admin.PutAsJsonAsync($"/api/v1/users/{id}/scope", new { tenants = new[] { mine }, regions = new[] { "eu" } });
        var refused = await analyst.PutAsJsonAsync($"/api/v1/users/{id}/scope", new { tenants = Array.Empty<string>() });
        var listed = await (await admin.GetAsync("/api/v1/users")).ReadNodeAsync();

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var scope = listed.AsArray().Single(u => u!["email"]!.GetValue<string>() == email)!["scope"]!;
        Assert.Equal(mine, scope["tenants"]![0]!.GetValue<string>());
        Assert.Equal("eu", scope["regions"]![0]!.GetValue<string>());
    }

    private static async Task<string> PageAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> TenantAsync(HttpClient admin)
    {
        var slug = TestSlugs.New("pg");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Scope {slug}", slug, region = "us", useCases = new[] { "churn-risk" } })).EnsureSuccessStatusCode();
        return slug;
    }
}

public sealed class ScopedUserPagesTestsOnSqlite(ExecutorFixture<Sqlite> fixture) : ScopedUserPagesTests<Sqlite>(fixture);

public sealed class ScopedUserPagesTestsOnPostgres(ExecutorFixture<Postgres> fixture) : ScopedUserPagesTests<Postgres>(fixture);
