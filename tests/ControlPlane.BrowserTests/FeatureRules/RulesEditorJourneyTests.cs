using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.DemoData;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.FeatureRules;

public sealed class RulesEditorJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Tenant = "northwind-traders";

    [Fact]
    public async Task An_analyst_uploads_data_then_edits_a_rule_and_sees_the_preview_change()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync($"/tenants/{Tenant}/use-cases/churn-risk");
        await page.WaitForInteractiveAsync();

        // The tenant's own column names (as its seeded rules map them), and enough rows that the upload and profiling take
        // a visible while; the row count differs from the seeded file's.
        var tenant = DemoTenants.Standard.Single(t => t.Slug == Tenant);
        var data = DemoDataGenerator.Generate("churn-risk", tenant.ToOptions() with { Rows = 20_017 });
        using var csv = new MemoryStream();
        data.WriteCsv(csv);
        var progressShown = page.Locator("#dataset-progress").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await page.ChooseFileAsync(page.Locator("#dataset-upload input[type=file]"), new FilePayload
        {
            Name = "northwind-rules.csv", MimeType = "text/csv", Buffer = csv.ToArray(),
        }, page.Locator("#dataset-upload").GetByText("northwind-rules.csv").First);
        await progressShown;
        await page.ScreenshotAsync("20-rules-upload-progress");

        await Expect(page.Locator("#dataset-outcome")).ToContainTextAsync("created", new() { Timeout = 60_000 });
        await Expect(page.Locator("#dataset-versions tr.cp-selected")).ToContainTextAsync("northwind-rules.csv");

        await page.Locator("#rules-link").ClickAsync();
        await page.WaitForAddressAsync($"**/tenants/{Tenant}/use-cases/churn-risk/rules");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#rules-version")).ToHaveTextAsync("v1");
        var preview = page.Locator("#rule-preview");
        await ExpectPreviewReadyAsync(page, preview);
        var spend = preview.Locator("tbody tr[data-preview-row='0'] td[data-feature='monthly_spend']");
        var before = (await spend.TextContentAsync())!.Trim();
        await page.ScreenshotAsync("21-rules-editor");

        // Open the feature's card and change its transform to log.
        await page.Locator("[data-feature='monthly_spend'] > div").First.ClickAsync();
        await page.Locator("[data-field='features[monthly_spend].transform']").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText("Log", new() { Exact = true }).ClickAsync();
        await Expect(page.Locator("#rules-dirty")).ToBeVisibleAsync();

        await Expect(spend).Not.ToHaveTextAsync(before, new() { Timeout = 60_000 });
        await ExpectPreviewReadyAsync(page, preview);
        var after = (await spend.TextContentAsync())!.Trim();
        Assert.True(double.Parse(after, System.Globalization.CultureInfo.InvariantCulture) < double.Parse(before, System.Globalization.CultureInfo.InvariantCulture),
            $"log should shrink the spend: {before} → {after}");
        await Expect(preview.Locator("tbody tr[data-preview-row='0'] td[data-feature='monthly_spend'][data-changed]")).ToBeVisibleAsync();
        await page.ScreenshotAsync("22-rules-preview-after-edit");

        await page.Locator("#rules-comment").FillAsync("log of monthly spend");
        await page.Locator("#rules-save").ClickAsync();
        await Expect(page.Locator("#rules-version")).ToHaveTextAsync("v2", new() { Timeout = 60_000 });
        await Expect(page.Locator("#rule-version-list [data-rule-version='2']")).ToContainTextAsync("log of monthly spend");

        // The comparison starts from the version the page opened on (v1), to what is now saved.
        await page.Locator("#diff-compare").ClickAsync();
        await Expect(page.Locator("#rule-diff [data-change-path='features[monthly_spend].transform'] [data-after]")).ToContainTextAsync("log");
        await page.ScreenshotAsync("23-rules-saved");

        // The same rules as JSON.
        await page.Locator("#view-json").ClickAsync();
        await Expect(page.Locator("#rules-json")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"transform\": \"log\""));
        await page.ScreenshotAsync("24-rules-json");
        await page.Locator("#view-form").ClickAsync();

        // A derived feature whose expression does not parse: the live check puts the message at that field, and the
        // preview shows the problem instead of rows.
        await page.Locator("#new-feature-name").FillAsync("spend_per_seat");
        await page.Locator("#add-feature").ClickAsync();
        var expression = page.Locator("[data-field='features[spend_per_seat].expression']");
        await expression.FillAsync("bi_monthly_bill / * bi_seat_count");
        await expression.PressAsync("Tab");
        await Expect(page.Locator("[data-feature='spend_per_seat'] [data-error-path='features[spend_per_seat].expression']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(preview).ToHaveAttributeAsync("data-state", "invalid");
        await page.ScreenshotAsync("25-rules-expression-error");
    }

    private static async Task ExpectPreviewReadyAsync(IPage page, ILocator preview)
    {
        try
        {
            await Expect(preview).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 60_000 });
        }
        catch (PlaywrightException)
        {
            await page.ScreenshotAsync("failed-rules-preview");
            throw;
        }
    }
}
