using System.Globalization;
using System.Net;
using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.Pipelines;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Predictions;

/// <summary>
/// An analyst backfills a month of a demo tenant's history from the enrollment page: picks the days and the model in the
/// Backfill dialog, watches the days complete on the predictions page, and downloads the result as CSV.
/// </summary>
public sealed class BackfillJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Tenant = "contoso-health";
    private const string UseCase = "churn-risk";
    private const string DataPage = $"/tenants/{Tenant}/use-cases/{UseCase}";

    [Fact]
    public async Task An_analyst_backfills_a_month_watches_the_days_complete_and_downloads_the_predictions()
    {
        // A champion to backfill with: the seeded demo data, retrained (the retrain journey itself is another test's).
        using (var admin = fixture.App.CreateAdminClient())
        {
            var started = await admin.PostAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/retrain", null);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var run = await admin.WaitFinishedAsync((await started.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(4));
            Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
        }

        // The last 30 days of the data.
        var last = await fixture.App.WithDbAsync(db => db.DatasetVersions.Where(v => v.Enrollment!.Tenant!.Slug == Tenant && v.Enrollment.UseCase!.Key == UseCase)
            .OrderByDescending(v => v.Number).Select(v => v.TimeTo).FirstAsync());
        var to = (last ?? DateTime.UtcNow).Date;
        if (to > DateTime.UtcNow.Date) to = DateTime.UtcNow.Date;
        var from = to.AddDays(-29);

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync(DataPage);
        await page.WaitForInteractiveAsync();

        await page.ClickAsync("#backfill");
        await Expect(page.Locator("#backfill-dialog")).ToBeVisibleAsync();
        await page.ScreenshotAsync("backfill-01-dialog");

        // A range that ends after today is refused next to the field, and nothing starts.
        await page.Locator("#backfill-from").FillAsync(Day(from));
        await page.Locator("#backfill-to").FillAsync(Day(DateTime.UtcNow.Date.AddDays(5)));
        await page.Locator("#backfill-to").PressAsync("Tab");
        await page.ClickAsync("#backfill-start");
        await Expect(page.Locator("#backfill-dialog")).ToContainTextAsync("after today");
        await page.ScreenshotAsync("backfill-02-refused");

        await page.Locator("#backfill-to").FillAsync(Day(to));
        await page.Locator("#backfill-to").PressAsync("Tab");
        await page.Locator("div.mud-select:has(#backfill-model)").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Version 1, fixed" }).ClickAsync();
        await page.ClickAsync("#backfill-start");

        await page.WaitForAddressAsync(new System.Text.RegularExpressions.Regex(@"/predictions\?run=[0-9a-f-]{36}$"));
        await page.WaitForInteractiveAsync();
        var runId = Guid.Parse(page.Url[(page.Url.IndexOf("run=", StringComparison.Ordinal) + 4)..]);
        var cells = page.Locator($"#partitions-{runId:N} .partition-cell");
        await Expect(cells).ToHaveCountAsync(30, new() { Timeout = 30_000 });
        await Expect(page.Locator($"#backfill-progress-{runId:N}")).ToHaveTextAsync("30 of 30 days", new() { Timeout = 120_000 });
        await Expect(page.Locator($"#partitions-{runId:N} .partition-cell[data-state='done']")).ToHaveCountAsync(30);
        await page.ScreenshotAsync("backfill-03-days-done");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync($"#download-csv-{runId:N}"));
        var lines = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Equal("tenant,use_case,entity_key,as_of,model_version,score,label,class_scores", lines[0]);
        var rows = lines.Skip(1).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, l => Assert.StartsWith($"{Tenant},{UseCase},", l, StringComparison.Ordinal));
        Assert.All(rows, l =>
        {
            var asOf = DateTime.Parse(l.Split(',')[3], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            Assert.InRange(asOf, from, to.AddDays(1));
        });
        Assert.All(rows, l => Assert.Contains(",own v1,", l, StringComparison.Ordinal));
    }

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
