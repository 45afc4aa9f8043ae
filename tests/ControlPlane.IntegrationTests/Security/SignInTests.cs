using System.Net;
using ControlPlane.Core.Security;
using ControlPlane.Core.Users;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Security;

public abstract class SignInTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task The_bootstrap_admin_signs_in_and_reaches_the_home_page()
    {
        using var client = App.CreateBrowserLikeClient();

        var response = await client.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.AbsolutePath);
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Overview", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_post_without_the_antiforgery_token_is_rejected()
    {
        using var client = App.CreateBrowserLikeClient();

        var response = await client.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword, withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Repeated_failed_sign_ins_from_one_address_make_it_wait_with_the_same_words_as_a_wrong_password()
    {
        var email = $"{Guid.NewGuid():N}@test.local";
        const string password = "Correct-Horse-9";
        await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>()
            .CreateAsync(new CreateUserRequest { Email = email, Role = Roles.Viewer, Password = password }, "test"));
        using var client = App.CreateBrowserLikeClient();
        const string failure = "Sign-in failed: check the email and password.";

        for (var i = 0; i < 5; i++)
        {
            var failed = await client.SignInAsync(email, "wrong-password");
            Assert.Contains(failure, await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The right password from the same address now waits, and is told exactly what a wrong one is told.
        var waiting = await client.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, waiting.StatusCode);
        Assert.Contains(failure, await waiting.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("locked", await waiting.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_is_refused_the_onboarding_page()
    {
        var email = $"{Guid.NewGuid():N}@test.local";
        const string password = "Viewer-Passw0rd";
        await App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>()
            .CreateAsync(new CreateUserRequest { Email = email, Role = Roles.Viewer, Password = password }, "test"));
        using var client = App.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, password)).StatusCode);

        var page = await client.GetAsync("/tenants/new");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/access-denied", page.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/tenants")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_never_redirects_off_site()
    {
        using var client = App.CreateBrowserLikeClient();
        await client.GetAsync("/account/login?returnUrl=%2F%2Fevil.example");
        var page = await (await client.GetAsync("/account/login?returnUrl=%2F%2Fevil.example")).Content.ReadAsStringAsync();
        Assert.Contains("Sign in", page, StringComparison.Ordinal);

        var response = await client.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        Assert.Equal("localhost", response.Headers.Location?.Host);
        Assert.Equal("/", response.Headers.Location?.AbsolutePath);
    }
}

public sealed class SignInTestsOnSqlite(AppFixture<Sqlite> fixture) : SignInTests<Sqlite>(fixture);

public sealed class SignInTestsOnPostgres(AppFixture<Postgres> fixture) : SignInTests<Postgres>(fixture);
