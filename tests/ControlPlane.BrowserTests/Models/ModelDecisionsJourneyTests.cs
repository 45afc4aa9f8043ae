using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.Pipelines;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Models;

/// <summary>
/// How a model was judged, as an analyst sees it: a use case of three tenants is retrained by retrain-all (a pool for
/// the two in one region); the version pages show validation and test metrics with intervals, the own-or-pooled reason
/// with both figures, the comparisons, the reliability diagram, and a leaking column named; the compare page flags two
/// versions tested on different rows and compares them on common rows.
/// </summary>
public sealed class ModelDecisionsJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string UseCase = "journey-churn";
    private const string Alpha = "alpha-gyms", Beta = "beta-studios", Leaky = "leaky-clubs";

    [Fact]
    public async Task An_analyst_sees_how_each_version_was_judged_and_compares_two_on_common_rows()
    {
        using var admin = fixture.App.CreateAdminClient();
        await SeedAsync(admin);
        await RunAsync(admin, $"/api/v1/use-cases/{UseCase}/retrain");

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);

        // Alpha's first version: intervals, the own-or-pooled reason with both figures, the comparison, the calibration.
        await page.GotoAsync($"/tenants/{Alpha}/use-cases/{UseCase}/models/1");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#metrics-table tr[data-metric='auc'] [data-interval='auc']")).ToHaveTextAsync(Interval());
        await Expect(page.Locator("#validation-metrics-table tr[data-metric='auc'] [data-interval='auc']")).ToHaveTextAsync(Interval());
        await Expect(page.Locator("#serving-reason")).ToContainTextAsync("pooled v1");
        await Expect(page.Locator("#serving-reason")).ToContainTextAsync("validation rows: AUC");
        await Expect(page.Locator("#comparisons tr[data-rival='pooled v1']")).ToBeVisibleAsync();
        await Expect(page.Locator("#leakage")).ToHaveAttributeAsync("data-suspected", "false");
        await Expect(page.Locator("#calibration-chart circle")).ToHaveCountAsync(10);
        await page.ScreenshotAsync("decisions-01-version-judged");

        // The leaking tenant's version: the finding names the column and the gate kept it from serving.
        await page.GotoAsync($"/tenants/{Leaky}/use-cases/{UseCase}/models/1");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#leak-alert")).ToBeVisibleAsync();
        await Expect(page.Locator("#leak-findings li[data-feature='closed_reason']").First).ToBeVisibleAsync();
        await Expect(page.Locator("#model-aliases [data-alias='champion'], [data-alias='champion']")).ToHaveCountAsync(0);
        await page.ScreenshotAsync("decisions-02-leak");

        // Alpha uploads a newer extract and retrains: v2 is compared with the pool (which serves Alpha: its champion) and
        // with v1's recipe refitted on v2's training rows, and the search says why its trainer was chosen.
        await UploadAsync(admin, Alpha, Csv(rows: 600, seed: 7, start: new DateTime(2026, 5, 1), tenant: 0, leak: false), "may-to-november.csv");
        await RunAsync(admin, $"/api/v1/tenants/{Alpha}/use-cases/{UseCase}/retrain");
        await page.GotoAsync($"/tenants/{Alpha}/use-cases/{UseCase}/models/2");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#comparisons tr[data-rival='pooled v1'][data-kind='pooled']")).ToBeVisibleAsync();
        await Expect(page.Locator("#comparisons tr[data-rival='v1'][data-kind='recent']")).ToBeVisibleAsync();
        await Expect(page.Locator("#search-rule")).ToContainTextAsync("one-standard-error rule");
        await page.ScreenshotAsync("decisions-03-second-version");

        // The two were tested on different rows: the compare page says so and compares them on common rows.
        await page.GotoAsync($"/models/compare?v={Alpha}/{UseCase}/1&v={Alpha}/{UseCase}/2");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#different-rows")).ToContainTextAsync("different dataset versions");
        await page.ClickAsync("#compare-common-rows");
        await Expect(page.Locator("#common-rows-table tbody tr")).ToHaveCountAsync(2, new() { Timeout = 120_000 });
        await Expect(page.Locator("#common-rows-table tr[data-version='v2'] .cp-verdict")).ToBeVisibleAsync();
        await Expect(page.Locator("#common-rows-chart circle")).ToHaveCountAsync(2);
        await page.ScreenshotAsync("decisions-04-compare-common-rows");

        // The home matrix's tooltip carries the champion's interval.
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        var cell = page.Locator($"#home-matrix tr[data-tenant='{Alpha}'] td[data-use-case='{UseCase}'] [data-interval]").First;
        await Expect(cell).ToHaveAttributeAsync("data-interval", new System.Text.RegularExpressions.Regex(@"^ \(95 % interval \d\.\d{3}–\d\.\d{3}\)$"));
        await page.ScreenshotAsync("decisions-05-home");
    }

    private static System.Text.RegularExpressions.Regex Interval() => new(@"^\[0\.\d{4}, (0\.\d{4}|1\.0000)\]$");

    /// <summary>
    /// Through the API, as an engineer would: a use case of seats and logins; Alpha and Beta in region us (one pool),
    /// Leaky alone in eu with a column copying the label.
    /// </summary>
    private static async Task SeedAsync(HttpClient admin)
    {
        var created = await admin.PostJsonAsync("/api/v1/use-cases", new
        {
            key = UseCase, name = "Journey churn", taskType = "Binary", labelColumn = "churned", entityKeyColumn = "account_id",
            eventTimeColumn = "snapshot_at", features = new[] { new { name = "seats", type = "Number" }, new { name = "logins", type = "Number" } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var tenants = new[] { (Alpha, "us", 0), (Beta, "us", 1), (Leaky, "eu", 2) };
        foreach (var (slug, region, index) in tenants)
        {
            var tenant = await admin.PostJsonAsync("/api/v1/tenants", new { name = slug, slug, region, useCases = new[] { UseCase } });
            Assert.True(tenant.IsSuccessStatusCode, await tenant.Content.ReadAsStringAsync());
            var features = new List<object> { new { name = "seats", source = Names[index].Seats }, new { name = "logins", source = Names[index].Logins } };
            if (slug == Leaky)
            {
                features.Add(new { name = "closed_reason", source = "Closed Reason", type = "category" });
            }

            var rules = await admin.PutAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/rules?comment=mapped", new StringContent(
                JsonSerializer.Serialize(new { label = new { source = "Churned" }, entityKey = "Account", eventTime = "As Of", features }),
                Encoding.UTF8, "application/json"));
            Assert.True(rules.IsSuccessStatusCode, await rules.Content.ReadAsStringAsync());
            await UploadAsync(admin, slug, Csv(rows: 900, seed: index, start: new DateTime(2026, 1, 1), tenant: index, leak: slug == Leaky), "accounts.csv");
        }
    }

    private static readonly (string Seats, string Logins)[] Names = [("Seats", "Logins 30d"), ("seat_count", "sessions"), ("Licences", "Visits")];

    private static async Task UploadAsync(HttpClient admin, string slug, string csv, string name)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", name);
        var response = await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/datasets", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Accounts every 8 hours: churn is likelier with fewer logins and fewer seats (each tenant a little differently);
    /// the leaking tenant's "Closed Reason" is the label, 1 % of it wrong.
    /// </summary>
    private static string Csv(int rows, int seed, DateTime start, int tenant, bool leak)
    {
        var random = new Random(seed * 31 + tenant);
        var (seats, logins) = Names[tenant];
        var csv = new StringBuilder($"Account,As Of,{seats},{logins},Churned{(leak ? ",Closed Reason" : "")}\n");
        for (var i = 0; i < rows; i++)
        {
            var s = random.Next(1, 60);
            var l = random.Next(0, 40);
            var odds = 1.2 - (0.08 * l) - (0.02 * s) + (0.3 * tenant) + (random.NextDouble() - 0.5);
            var churned = random.NextDouble() < 1 / (1 + Math.Exp(-odds));
            var recorded = random.NextDouble() < 0.01 ? !churned : churned;
            csv.Append(CultureInfo.InvariantCulture, $"{tenant}-{seed}-{i},{start.AddHours(8 * i):yyyy-MM-ddTHH:mm:ssZ},{s},{l},{(churned ? "yes" : "no")}");
            csv.Append(leak ? $",{(recorded ? "moved to a competitor" : "none")}\n" : "\n");
        }

        return csv.ToString();
    }

    private static async Task RunAsync(HttpClient admin, string url)
    {
        var response = await admin.PostAsync(url, null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var run = await admin.WaitFinishedAsync((await response.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(5));
        var children = new List<string>();
        foreach (var child in run.Run.State == RunState.Succeeded ? [] : run.Children.Where(c => c.State != RunState.Succeeded))
        {
            children.Add(RunsClient.Describe(await admin.GetRunAsync(child.Id)));
        }

        Assert.True(run.Run.State == RunState.Succeeded, string.Join("\n", [RunsClient.Describe(run), .. children]));
    }
}
