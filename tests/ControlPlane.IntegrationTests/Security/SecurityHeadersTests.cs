using System.Net;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>Issue 16, point 10: security headers on pages and API, and slugs that pages use refused.</summary>
public abstract class SecurityHeadersTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Api_answers_and_errors_carry_nosniff_a_referrer_policy_and_a_policy_that_allows_nothing()
    {
        using var admin = App.CreateAdminClient();
        using var anonymous = App.CreateAnonymousClient();

        foreach (var response in new[] { await admin.GetAsync("/api/v1/tenants"), await anonymous.GetAsync("/api/v1/tenants"), await admin.GetAsync("/api/v1/runs?state=broken") })
        {
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
            Assert.Contains("default-src 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
            Assert.Null(Header(response, "Strict-Transport-Security")); // plain HTTP: HSTS would mean nothing
        }
    }

    [Fact]
    public async Task Pages_carry_the_page_policy_and_https_adds_hsts()
    {
        using var https = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false,
        });

        var login = await https.GetAsync("/"); // a page; signed out it redirects to the sign-in page, headers and all

        Assert.Contains("script-src 'self'", Header(login, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'self'", Header(login, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("max-age=31536000; includeSubDomains", Header(login, "Strict-Transport-Security"));
        Assert.Equal("nosniff", Header(login, "X-Content-Type-Options"));
    }

    [Theory]
    [InlineData("new")]
    [InlineData("admin")]
    [InlineData("api")]
    public async Task A_slug_a_page_uses_is_refused_at_slug_and_nothing_is_created(string slug)
    {
        using var admin = App.CreateAdminClient();

        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Reserved {slug}", slug, region = "us", useCases = new[] { "churn-risk" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reserved word", Assert.Single((await response.ReadNodeAsync()).FieldErrors("Slug")), StringComparison.Ordinal);
        Assert.False(await App.WithDbAsync(db => db.Tenants.AnyAsync(t => t.Slug == slug)));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values) : null;
}

public sealed class SecurityHeadersTestsOnSqlite(AppFixture<Sqlite> fixture) : SecurityHeadersTests<Sqlite>(fixture);

public sealed class SecurityHeadersTestsOnPostgres(AppFixture<Postgres> fixture) : SecurityHeadersTests<Postgres>(fixture);
