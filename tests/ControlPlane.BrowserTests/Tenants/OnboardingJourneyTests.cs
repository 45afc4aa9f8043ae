using System.Text.RegularExpressions;
using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.Security;
using ControlPlane.Core.Users;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Tenants;

public sealed class OnboardingJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_onboards_a_tenant_copies_its_key_and_finds_it_in_the_list_and_the_matrix()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await Expect(page.Locator("#home-matrix")).ToBeVisibleAsync();
        await page.ScreenshotAsync("01-home");

        await page.ClickAsync("#onboard-tenant");
        await page.WaitForAddressAsync("**/tenants/new");
        await page.WaitForInteractiveAsync();

        // Step 1: a mistake first, then the fix; the message sits at the field.
        await page.ClickAsync("#wizard-next");
        await Expect(page.GetByText("Name is required.")).ToBeVisibleAsync();
        await page.ScreenshotAsync("02-wizard-validation");
        await page.FillAsync("#tenant-name", "Initech Europe");
        await Expect(page.Locator("#tenant-slug")).ToHaveValueAsync("initech-europe");
        await page.Locator("div.mud-select:has(#tenant-region)").First.ClickAsync();
        await page.GetByText("eu — European Union").ClickAsync();
        await page.ClickAsync("#wizard-next");

        // Step 2: use cases.
        await page.Locator("[data-use-case='churn-risk']").GetByText("Churn risk (Binary)").ClickAsync();
        await page.ClickAsync("#wizard-next");

        // Step 3: review and create.
        await Expect(page.Locator("#review")).ToContainTextAsync("churn-risk");
        await page.ScreenshotAsync("03-wizard-review");
        await page.ClickAsync("#wizard-create");
        try
        {
            await Expect(page.Locator("#onboard-result")).ToBeVisibleAsync();
        }
        catch (PlaywrightException)
        {
            await page.ScreenshotAsync("failed-create");
            throw;
        }

        var key = await page.Locator("#api-key").InputValueAsync();
        Assert.Matches("^cpk_[A-Za-z0-9]{8}_[A-Za-z0-9]{32}$", key);
        await page.ClickAsync("#copy-key");
        await Expect(page.GetByText("API key copied to the clipboard.")).ToBeVisibleAsync();
        Assert.Equal(key, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await page.ScreenshotAsync("04-api-key-once");

        // The key really is the tenant's.
        var tenant = await fixture.App.WithScopeAsync(sp => sp.GetRequiredService<Core.Tenants.TenantService>().AuthenticateKeyAsync(key));
        Assert.Equal("initech-europe", tenant?.Slug);
        Assert.Equal("eu", tenant?.Region);

        // The tenants list finds it by server-side search.
        await page.GotoAsync("/tenants");
        await page.WaitForInteractiveAsync();
        await page.FillAsync("#tenant-search", "initech");
        await Expect(page.Locator("#tenants-grid tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#tenants-grid")).ToContainTextAsync("Initech Europe");
        await page.ScreenshotAsync("05-tenants-list");

        // The home matrix shows its enrollment, with no data yet: the cell leads to where data is added.
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        var row = page.Locator("#home-matrix tr[data-tenant='initech-europe']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("td[data-use-case='churn-risk']")).ToContainTextAsync("no data");
        Assert.EndsWith("/tenants/initech-europe/use-cases/churn-risk",
            await row.Locator("td[data-use-case='churn-risk'] a[data-next]").GetAttributeAsync("href"), StringComparison.Ordinal);
        await page.ScreenshotAsync("06-home-matrix");

        // Shown once: the tenant page lists the key by prefix only.
        await page.GotoAsync("/tenants/initech-europe");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#api-keys")).ToContainTextAsync(key.Split('_')[1]);
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_sees_the_tenants_but_cannot_onboard()
    {
        var email = $"viewer-{Guid.NewGuid():N}@test.local";
        await fixture.App.WithScopeAsync(sp => sp.GetRequiredService<UserAdminService>()
            .CreateAsync(new CreateUserRequest { Email = email, Role = Roles.Viewer, Password = "Viewer-Passw0rd" }, "test"));
        var page = await fixture.NewPageAsync();

        await page.SignInAsync(email, "Viewer-Passw0rd");

        await Expect(page.Locator("#home-matrix")).ToBeVisibleAsync();
        await Expect(page.Locator("#onboard-tenant")).ToHaveCountAsync(0);
        await page.GotoAsync("/tenants/new");
        await Expect(page.GetByText("Access denied")).ToBeVisibleAsync();
        Assert.Matches(new Regex("/account/access-denied"), page.Url);
        await page.ScreenshotAsync("07-viewer-denied");
    }
}
