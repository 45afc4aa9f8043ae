using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Security;

/// <summary>Issue 16, point 10: the pages work under the Content-Security-Policy they are sent with — nothing is blocked.</summary>
public sealed class ContentSecurityPolicyJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Pages_and_the_api_reference_run_under_the_policy_without_a_single_violation()
    {
        var page = await fixture.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };

        var signIn = await page.GotoAsync("/login");
        Assert.Contains("default-src 'self'", await signIn!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        Assert.Equal("nosniff", await signIn.HeaderValueAsync("x-content-type-options"));
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        foreach (var path in new[] { "/", "/tenants", "/runs", "/admin/tokens" })
        {
            await page.GotoAsync(path);
            await page.WaitForInteractiveAsync();
        }

        // The circuit works under the policy: a click reaches the server and the page answers.
        await page.ClickAsync("#token-create");
        await Expect(page.GetByText("Name is required.")).ToBeVisibleAsync();
        await page.GotoAsync("/api-reference/");
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
