using System.Diagnostics;
using System.Text.RegularExpressions;
using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.DemoData;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Models;

public sealed partial class ModelsJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Tenant = "contoso-health";
    private const string UseCase = "churn-risk";
    private const string DataPage = $"/tenants/{Tenant}/use-cases/{UseCase}";

    [Fact]
    public async Task An_analyst_retrains_watches_the_run_opens_the_new_version_retrains_again_and_compares_the_two()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync(DataPage);
        await page.WaitForInteractiveAsync();
        await UploadDemoDataAsync(page);

        // First retrain: the button opens the run, which is watched to success.
        await RetrainAsync(page, "models-01-first-run");

        // The models page lists version 1 as champion (the gate promotes the first version).
        await page.GotoAsync(DataPage);
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("#models-link");
        await page.WaitForAddressAsync($"**{DataPage}/models");
        await page.WaitForInteractiveAsync();
        var v1 = page.Locator("#model-versions tr[data-version='v1']");
        await Expect(v1.Locator("[data-alias='champion']")).ToBeVisibleAsync();
        await page.ScreenshotAsync("models-02-models-page");

        // The version page: lineage, fingerprint, curves, importances and contributions.
        await v1.Locator("[data-version-link]").ClickAsync();
        await page.WaitForAddressAsync($"**{DataPage}/models/1");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#lineage tr[data-lineage='dataset']")).ToContainTextAsync("rows");
        await Expect(page.Locator("#fingerprint")).ToHaveTextAsync(ShaPattern());
        await Expect(page.Locator("#roc-chart polyline")).ToHaveCountAsync(1);
        await Expect(page.Locator("#pr-chart polyline")).ToHaveCountAsync(1);
        Assert.True(await page.Locator("#importance-chart rect").CountAsync() > 0, "expected importance bars");
        Assert.True(await page.Locator("#contribution-chart rect").CountAsync() > 0, "expected contribution bars");
        await page.ScreenshotAsync("models-03-version-page");

        // Second retrain, then compare the two versions from the models page.
        await page.GotoAsync(DataPage);
        await page.WaitForInteractiveAsync();
        await RetrainAsync(page, "models-04-second-run");
        await page.GotoAsync($"{DataPage}/models");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#model-versions tbody tr")).ToHaveCountAsync(2);
        await page.Locator("#model-versions tr[data-version='v1'] input[type=checkbox]").CheckAsync();
        await page.Locator("#model-versions tr[data-version='v2'] input[type=checkbox]").CheckAsync();
        await page.ScreenshotAsync("models-05-two-versions");
        await page.ClickAsync("#compare-selected");
        await page.WaitForAddressAsync("**/models/compare?**");
        await page.WaitForInteractiveAsync();

        await Expect(page.Locator("#metrics-table thead th[data-version]")).ToHaveCountAsync(2);
        await Expect(page.Locator("#metrics-table tr[data-metric='auc'] td[data-version='v2'] [data-verdict]")).ToBeVisibleAsync();
        await Expect(page.Locator("#roc-chart polyline")).ToHaveCountAsync(2);
        await Expect(page.Locator("#pr-chart polyline")).ToHaveCountAsync(2);
        await Expect(page.Locator("#training-diff")).ToBeVisibleAsync();

        // Same dataset, rules, settings and seed: the second retrain reproduced the first one's predictions exactly.
        await Expect(page.Locator("#same-fingerprint")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-rules-diff='v2']")).ToBeVisibleAsync();
        await page.ScreenshotAsync("models-06-compare");

        // The new version's page says the earlier one was trained the same way and predicted identically.
        await page.GotoAsync($"{DataPage}/models/2");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#reproductions [data-reproduction='v1']")).ToHaveAttributeAsync("data-same", "true");
        await page.ScreenshotAsync("models-07-reproduced");

        // Another tenant's model of the same use case joins the comparison through the picker.
        await page.GotoAsync("/tenants/northwind-traders/use-cases/churn-risk");
        await page.WaitForInteractiveAsync();
        await RetrainAsync(page, "models-08-other-tenant-run");
        await page.GotoAsync($"/models/compare?v={Tenant}/{UseCase}/1&v={Tenant}/{UseCase}/2");
        await page.WaitForInteractiveAsync();
        await page.Locator("#pick-tenant").FillAsync("northwind");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "northwind-traders" }).ClickAsync();
        // The version list fills once the server has the tenant's versions.
        await Expect(page.Locator("div.mud-select:has(#pick-version) input").First).ToBeEnabledAsync();
        await page.Locator("div.mud-select:has(#pick-version)").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "v1" }).First.ClickAsync();
        await page.ClickAsync("#pick-add");
        await Expect(page.Locator("#metrics-table thead th[data-version]")).ToHaveCountAsync(3);
        await Expect(page.Locator("#metrics-table thead th[data-version='northwind-traders · v1']")).ToBeVisibleAsync();
        await Expect(page.Locator("#roc-chart polyline")).ToHaveCountAsync(3);
        await page.ScreenshotAsync("models-09-compare-across-tenants");

        // The home matrix shows the champion of the enrollment.
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        var cell = page.Locator($"#home-matrix tr[data-tenant='{Tenant}'] td[data-use-case='{UseCase}'] [data-champion]");
        await Expect(cell).Not.ToHaveAttributeAsync("data-champion", "none");
        await page.ScreenshotAsync("models-10-home-matrix");
    }

    // Multiclass (ticket-routing) is left to bUnit: its one-vs-all search runs for minutes on this machine.
    [Fact]
    public async Task A_regression_version_shows_its_residual_plot()
    {
        const string useCase = "resolution-time";
        const string picture = "#residual-plots circle";
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync($"/tenants/{Tenant}/use-cases/{useCase}");
        await page.WaitForInteractiveAsync();

        await RetrainAsync(page, $"models-{useCase}-run");
        await page.GotoAsync($"/tenants/{Tenant}/use-cases/{useCase}/models/1");
        await page.WaitForInteractiveAsync();

        Assert.True(await page.Locator(picture).CountAsync() > 0, $"expected {picture}");
        Assert.True(await page.Locator("#importance-chart rect").CountAsync() > 0, "expected importance bars");
        await page.ScreenshotAsync($"models-{useCase}-version");
    }

    private static async Task UploadDemoDataAsync(IPage page)
    {
        var data = DemoDataGenerator.Generate(UseCase, new DemoGenerationOptions { TenantSlug = Tenant, Rows = 2345 });
        using var csv = new MemoryStream();
        data.WriteCsv(csv);
        await page.ChooseFileAsync(page.Locator("#dataset-upload input[type=file]"), new FilePayload
        {
            Name = "contoso-accounts.csv", MimeType = "text/csv", Buffer = csv.ToArray(),
        }, page.Locator("#dataset-upload").GetByText("contoso-accounts.csv").First);
        await Expect(page.Locator("#dataset-outcome")).ToContainTextAsync("created", new() { Timeout = 30_000 });
    }

    /// <summary>Clicks Retrain on the data page and watches the run page until the run succeeds.</summary>
    private static async Task RetrainAsync(IPage page, string screenshot)
    {
        await page.ClickAsync("#retrain");
        try
        {
            await page.WaitForURLAsync(RunUrl(), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 10_000 });
        }
        catch (TimeoutException) when (!RunUrl().IsMatch(page.Url))
        {
            // On a loaded machine the first click can land before the button is wired up: nothing started, click again.
            await page.ScreenshotAsync($"{screenshot}-click-lost");
            if (await page.Locator("#retrain").CountAsync() > 0)
            {
                await page.ClickAsync("#retrain");
            }

            await page.WaitForAddressAsync(RunUrl());
        }
        catch (TimeoutException)
        {
            // The address is the run's already (the navigation's commit event came before the wait began).
        }

        await page.WaitForInteractiveAsync();
        var clock = Stopwatch.StartNew();
        var seenLive = false;
        string? state;
        while ((state = (await page.Locator("#run-state").TextContentAsync())?.Trim()) is not ("Succeeded" or "Failed" or "Cancelled")
               && clock.Elapsed < TimeSpan.FromMinutes(4))
        {
            if (!seenLive && state == "Running")
            {
                await page.ScreenshotAsync($"{screenshot}-live");
                seenLive = true;
            }

            await Task.Delay(250);
        }

        await page.ScreenshotAsync(screenshot);
        Assert.Equal("Succeeded", state);
    }

    [GeneratedRegex(@"/runs/([0-9a-f-]{36})$")]
    private static partial Regex RunUrl();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex ShaPattern();
}
