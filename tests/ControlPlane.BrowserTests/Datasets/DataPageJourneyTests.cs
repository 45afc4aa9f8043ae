using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.DemoData;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Datasets;

public sealed class DataPageJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_analyst_uploads_a_csv_on_the_enrollment_page_and_sees_the_new_version_profiled()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync("/tenants/northwind-traders");
        await page.WaitForInteractiveAsync();

        await page.Locator("#enrollments tr[data-enrollment='churn-risk'] a").ClickAsync();
        await page.WaitForAddressAsync("**/tenants/northwind-traders/use-cases/churn-risk");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#task-type")).ToHaveTextAsync("Binary");

        // Rows chosen so the file differs from anything the demo seed may have stored.
        var data = DemoDataGenerator.Generate("churn-risk", new DemoGenerationOptions { TenantSlug = "northwind-traders", Rows = 4321 });
        using var csv = new MemoryStream();
        data.WriteCsv(csv);
        await page.ChooseFileAsync(page.Locator("#dataset-upload input[type=file]"), new FilePayload
        {
            Name = "northwind-accounts.csv", MimeType = "text/csv", Buffer = csv.ToArray(),
        }, page.Locator("#dataset-upload").GetByText("northwind-accounts.csv").First);

        try
        {
            await Expect(page.Locator("#dataset-outcome")).ToContainTextAsync("created", new() { Timeout = 30_000 });
        }
        catch (PlaywrightException)
        {
            await page.ScreenshotAsync("failed-dataset-upload");
            throw;
        }

        var profile = page.Locator("#dataset-profile");
        await Expect(page.Locator("#dataset-versions tr.cp-selected")).ToContainTextAsync("northwind-accounts.csv");
        await Expect(profile).ToContainTextAsync("4,321 rows");
        var columns = await page.Locator("#schema-table tbody tr").CountAsync();
        Assert.True(columns > 5, $"expected the churn columns, got {columns}");
        await Expect(page.Locator("[data-column-chart]")).ToHaveCountAsync(columns);
        await Expect(page.Locator("#null-rate-chart svg")).ToBeVisibleAsync();

        // The new version was validated against the enrollment's rules: a checklist with one line per check at least.
        await Expect(page.Locator("#validation-outcome")).Not.ToHaveTextAsync("Not checked");
        Assert.True(await page.Locator("#validation-checklist [data-severity]").CountAsync() >= 5);
        Assert.True(await page.Locator("[data-column-chart] svg").CountAsync() >= columns / 2);
        await page.ScreenshotAsync("10-dataset-profile");
    }
}
