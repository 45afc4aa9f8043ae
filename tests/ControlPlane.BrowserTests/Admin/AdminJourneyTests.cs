using System.Net;
using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.Storage;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Admin;

public sealed class AdminJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_creates_an_api_token_that_works_until_revoked()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync("/admin/tokens");
        await page.WaitForInteractiveAsync();

        await page.ClickAsync("#token-create");
        await Expect(page.GetByText("Name is required.")).ToBeVisibleAsync();
        await page.FillAsync("#token-name", "ci-deploy");
        await page.ClickAsync("#token-create");
        await Expect(page.Locator("#token-secret")).ToBeVisibleAsync();
        var secret = await page.Locator("#token-secret").InputValueAsync();
        await page.ScreenshotAsync("10-api-token-created");

        using var client = fixture.App.CreateTokenClient(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tenants")).StatusCode);

        await page.Locator("#tokens-table tr", new() { HasText = "ci-deploy" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("#tokens-table tr", new() { HasText = "ci-deploy" })).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/tenants")).StatusCode);
    }

    [Fact]
    public async Task An_admin_adds_a_user_and_sees_the_generated_password_once()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync("/admin/users");
        await page.WaitForInteractiveAsync();

        await page.FillAsync("#user-email", "not-an-email");
        await page.ClickAsync("#user-create");
        await Expect(page.GetByText("A valid email address is required.")).ToBeVisibleAsync();

        await page.FillAsync("#user-email", "analyst@test.local");
        await page.ClickAsync("#user-create");
        await Expect(page.Locator("#generated-password")).ToContainTextAsync("analyst@test.local");
        await Expect(page.Locator("#users-table")).ToContainTextAsync("analyst@test.local");
        await page.ScreenshotAsync("11-user-added");
    }

    [Fact]
    public async Task Offboarding_a_demo_tenant_asks_for_its_slug_and_removes_its_data()
    {
        const string slug = "northwind-traders";
        var store = fixture.App.Regions.StoreFor("us");
        Assert.NotEmpty(await store.ListAsync(ArtifactPath.TenantRoot(slug)));
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync($"/tenants/{slug}");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#enrollments")).ToContainTextAsync("Lead scoring");
        await page.ScreenshotAsync("12-tenant-page");

        await page.ClickAsync("#offboard");
        await Expect(page.Locator("#offboard-confirm-button")).ToBeDisabledAsync();
        await page.FillAsync("#offboard-confirm", slug);
        await page.ClickAsync("#offboard-confirm-button");

        try
        {
            await page.WaitForAddressAsync("**/tenants");
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync("failed-offboard");
            throw;
        }

        Assert.Empty(await store.ListAsync(ArtifactPath.TenantRoot(slug)));
        Assert.False(await fixture.App.WithDbAsync(db => db.Tenants.AnyAsync(t => t.Slug == slug)));
    }
}
