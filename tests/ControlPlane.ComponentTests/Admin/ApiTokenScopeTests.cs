using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Security;
using ControlPlane.Core.Tenants;
using ControlPlane.Web.Components.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Admin;

/// <summary>The API tokens page sets a token's tenant scope: an unknown tenant is named at its field; a scoped token lists its scope.</summary>
public sealed class ApiTokenScopeTests : CoreTestContext
{
    [Fact]
    public async Task An_unknown_tenant_is_refused_at_its_field_and_a_token_limited_to_a_known_one_shows_its_scope()
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            db.Tenants.Add(new Tenant { Id = Guid.NewGuid(), Slug = "acme-scope", Name = "Acme", Region = "us", SearchText = "acme-scope acme" });
            await db.SaveChangesAsync();
        }

        var cut = Render<ApiTokens>();
        cut.Find("#token-name").Change("partner-feed");
        cut.Find("#token-tenants").Change("acme-scope, nobody-here");
        await cut.Find("#token-create").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Contains("No tenant has the slug 'nobody-here'", ErrorOf(cut, "token-tenants"), StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#token-secret"));

        cut.Find("#token-tenants").Change("acme-scope");
        await cut.Find("#token-create").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#token-secret")));
        var row = cut.FindAll("#tokens-table tr").Single(r => r.TextContent.Contains("partner-feed", StringComparison.Ordinal));
        Assert.Contains("tenant acme-scope", row.TextContent, StringComparison.Ordinal);
        await using var check = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        Assert.Equal(["acme-scope"], TenantScope.Parse((await check.ApiTokens.SingleAsync(t => t.Name == "partner-feed")).Scope)!.Tenants);
    }

    private static string? ErrorOf(IRenderedComponent<ApiTokens> cut, string inputId) =>
        cut.Find($"#{inputId}").Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent;
}
