using System.Net;
using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.Pipelines;
using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Monitoring;

/// <summary>
/// An analyst opens the monitoring page of a demo tenant whose data drifts in its last 60 days: the drifting feature is
/// ranked first and its histogram shown, the predictions are charted over time, and "Check now" runs a check (drift, decay, SLAs)
/// with progress.
/// </summary>
public sealed class DriftDashboardJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Tenant = "northwind-traders";
    private const string UseCase = "churn-risk";

    [Fact]
    public async Task The_drift_dashboard_of_a_drifting_tenant_ranks_a_drifting_feature_first_and_checks_again_on_demand()
    {
        // A champion and its batch score (the batch-score pipeline ends with a drift check).
        using (var admin = fixture.App.CreateAdminClient())
        {
            foreach (var (url, body) in new[] { ("retrain", (object?)null), ("batch-scores", new { }) })
            {
                var started = body is null
                    ? await admin.PostAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/{url}", null)
                    : await admin.PostJsonAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/{url}", body);
                Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
                var run = await admin.WaitFinishedAsync((await started.ReadNodeAsync())["runId"]!.GetValue<Guid>(), TimeSpan.FromMinutes(4));
                Assert.True(run.Run.State == RunState.Succeeded, RunsClient.Describe(run));
            }
        }

        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GotoAsync($"/tenants/{Tenant}/use-cases/{UseCase}");
        await page.WaitForInteractiveAsync();
        await page.ClickAsync("#monitoring-link");
        await page.WaitForAddressAsync($"**/tenants/{Tenant}/use-cases/{UseCase}/monitoring");
        await page.WaitForInteractiveAsync();

        // The enrollment's verdict heads the page, with its reason and evidence.
        await Expect(page.Locator("#health")).ToHaveAttributeAsync("data-verdict", "drift");
        await Expect(page.Locator("#health [data-verdict]").First).ToHaveTextAsync("Drift");
        await Expect(page.Locator("#health-evidence [data-aspect='drift']")).ToContainTextAsync("windows in a row");

        var first = page.Locator("[data-drift-table] tbody tr").First;
        await Expect(first.Locator("[data-drift-status]")).ToHaveAttributeAsync("data-drift-status", "drift");
        var top = await first.Locator("[data-feature]").GetAttributeAsync("data-feature");
        await Expect(first.Locator("[data-rule]")).ToContainTextAsync($"feature '{top}' (");
        // The health panel ranks the likely causes: here the drifting inputs, the top one first, with the rule that made it.
        var cause = page.Locator("#root-causes li").First;
        await Expect(cause).ToHaveAttributeAsync("data-cause", "feature-drift");
        await Expect(cause).ToContainTextAsync($"{top} drifts: PSI");
        await Expect(cause).ToContainTextAsync($"From feature '{top}' (");
        await Expect(page.Locator("#selected-feature")).ToContainTextAsync($"{top}: training vs newest window");
        await Expect(page.Locator("#prediction-trend [data-series='median']")).ToBeVisibleAsync();
        Assert.True(await page.Locator("[data-window-status]").CountAsync() > 30);

        // Choosing another feature shows its histogram.
        var second = page.Locator("[data-drift-table] tbody tr").Nth(1);
        var other = await second.Locator("[data-feature]").GetAttributeAsync("data-feature");
        await second.ClickAsync();
        await Expect(page.Locator("#selected-feature")).ToContainTextAsync($"{other}: training vs newest window");
        await first.ClickAsync();
        await Expect(page.Locator("#selected-feature")).ToContainTextAsync($"{top}: training vs newest window");
        await page.ScreenshotAsync("42-drift-dashboard");

        // Check again: progress while it runs (a check with nothing new to read may finish before it is drawn), then the
        // time it finished, and the page reloads with the same ranking.
        await page.ClickAsync("#check-drift");
        var monitorStarted = false;
        for (var i = 0; i < 240 && !(monitorStarted = await fixture.App.WithDbAsync(db => db.PipelineRuns.AnyAsync(r => r.Pipeline == "monitor" && r.TenantSlug == Tenant))); i++)
        {
            await Task.Delay(250);
        }

        Assert.True(monitorStarted, "The click on Check now started no monitor run within 60 s.");
        await Expect(page.Locator("#drift-check-progress, #drift-check-done").First).ToBeVisibleAsync();
        for (var i = 0; i < 480 && !await fixture.App.WithDbAsync(db => db.PipelineRuns.AnyAsync(r => r.Pipeline == "monitor" && r.TenantSlug == Tenant
            && (r.State == RunState.Succeeded || r.State == RunState.Failed))); i++)
        {
            await Task.Delay(250);
        }

        await Expect(page.Locator("#drift-check-done")).ToContainTextAsync("Checked at ");
        await Expect(page.Locator("#drift-check-progress")).ToHaveCountAsync(0);
        await Expect(page.Locator("#check-drift")).ToBeEnabledAsync();
        await Expect(page.Locator("#drift-check-error")).ToHaveCountAsync(0);
        await Expect(first.Locator("[data-feature]")).ToHaveAttributeAsync("data-feature", top!);

        // The check also estimated performance without labels (a binary model) and judged the SLAs: a model trained today is young enough.
        await Expect(page.Locator("#performance-chart [data-series='estimated']").First).ToBeVisibleAsync();
        await Expect(page.Locator("#performance-chart [data-no-labels]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-sla-panel]")).ToContainTextAsync("100 %");
        await page.ScreenshotAsync("44-monitoring-after-check");

        // The realtime source has nothing logged yet.
        await page.Locator("#drift-source [data-source='realtime']").ClickAsync();
        await Expect(page.Locator("#drift-none")).ToBeVisibleAsync();
        await Expect(page.Locator("#drift-source [data-source='realtime']")).ToHaveAttributeAsync("aria-pressed", "true");
        await Task.Delay(500); // the buttons' colour transition
        await page.ScreenshotAsync("43-drift-dashboard-realtime");

        // The same verdict, word and colour on every surface: this page, the home matrix, the cross-tenant view, the API and the metrics.
        await page.Locator("#drift-source [data-source='batch']").ClickAsync();
        var verdict = await page.Locator("#health").GetAttributeAsync("data-verdict");
        Assert.Equal("drift", verdict);
        var style = await page.Locator("#health [data-verdict]").First.GetAttributeAsync("style");
        var word = (await page.Locator("#health [data-verdict]").First.TextContentAsync())!.Trim();

        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        var cell = page.Locator($"tr[data-tenant='{Tenant}'] td[data-use-case='{UseCase}']");
        await Expect(cell.Locator("[data-health]")).ToHaveAttributeAsync("data-health", verdict!);
        var badge = cell.Locator("[data-health-link] [data-verdict]");
        await Expect(badge).ToHaveAttributeAsync("data-verdict", verdict!);
        Assert.Equal(word, (await badge.TextContentAsync())!.Trim());
        Assert.Equal(style, await badge.GetAttributeAsync("style"));
        await Expect(badge).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex($"drift: {top} PSI"));
        await page.ScreenshotAsync("45-home-health");
        await cell.Locator("[data-health-link]").ClickAsync();
        await page.WaitForAddressAsync($"**/tenants/{Tenant}/use-cases/{UseCase}/monitoring");

        await page.GotoAsync($"/use-cases/{UseCase}/monitoring");
        await page.WaitForInteractiveAsync();
        var row = page.Locator($"#use-case-tenants tr[data-tenant='{Tenant}'] [data-verdict]").First;
        await Expect(row).ToHaveAttributeAsync("data-verdict", verdict!);
        Assert.Equal(word, (await row.TextContentAsync())!.Trim());
        await Expect(page.Locator("#verdict-counts")).ToContainTextAsync("drift");
        await page.ScreenshotAsync("46-drift-across-tenants");

        // Cost and value per tenant: the tenant just retrained shows its training CPU and artifacts; sorting by CPU puts the
        // costliest first either way round.
        var costRow = page.Locator("#cost-value-table tbody tr", new() { Has = page.Locator($"td[data-tenant='{Tenant}']") });
        await Expect(costRow).ToHaveCountAsync(1);
        var cpu = double.Parse((await costRow.Locator("td[data-cpu]").GetAttributeAsync("data-cpu"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(cpu > 0, $"training CPU {cpu}");
        await Expect(costRow.Locator("td[data-worth]")).ToHaveAttributeAsync("data-worth", "unknown"); // no pooled model to compare with
        await Expect(page.Locator("#worth-counts")).ToContainTextAsync("not measured");
        await page.Locator("#cost-value-table thead th", new() { HasText = "Training CPU-s" }).ClickAsync();
        await page.Locator("#cost-value-table thead th", new() { HasText = "Training CPU-s" }).ClickAsync();
        var sorted = await page.Locator("#cost-value-table tbody td[data-cpu]").EvaluateAllAsync<string[]>("cells => cells.map(c => c.getAttribute('data-cpu') || '')");
        var values = sorted.Select(v => v.Length == 0 ? -1 : double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(values.SequenceEqual(values.OrderByDescending(v => v)) || values.SequenceEqual(values.Order()), string.Join(", ", values));
        await page.Locator("#cost-value").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync("53-cost-value");

        // At 1024 px the verdict, its reason and the tenants' health still fit without a horizontal scroll.
        await page.SetViewportSizeAsync(1024, 768);
        await Expect(row).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the cross-tenant view scrolls sideways at 1024 px");
        await page.ScreenshotAsync("47-drift-across-tenants-1024");
        await page.GotoAsync($"/tenants/{Tenant}/use-cases/{UseCase}/monitoring");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#health-reason")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the monitoring page scrolls sideways at 1024 px");
        await page.ScreenshotAsync("48-monitoring-1024");

        // Any two periods: the first fortnight the checks counted against the last, then training against the last, then a month nobody scored.
        var days = await fixture.App.WithDbAsync(db => db.DriftDayCounts
            .Where(d => d.EnrollmentId == db.Enrollments.Single(e => e.Tenant!.Slug == Tenant && e.UseCase!.Key == UseCase).Id && d.Source == "batch")
            .Select(d => d.Day).Distinct().OrderBy(d => d).ToListAsync());
        Assert.True(days.Count >= 60, $"{days.Count} days counted");
        static string Day(DateTime d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.SetViewportSizeAsync(1440, 900);
        await page.Locator("#period-reference-mode [data-mode='period']").ClickAsync();
        await page.FillAsync("#reference-from", Day(days[0]));
        await page.FillAsync("#reference-to", Day(days[13]));
        await page.FillAsync("#analysis-from", Day(days[^14]));
        await page.FillAsync("#analysis-to", Day(days[^1]));
        await page.ClickAsync("#compare-periods");
        var result = page.Locator("#period-result");
        await Expect(result).ToHaveAttributeAsync("data-status", "drift", new() { Timeout = 60_000 });
        var topPeriod = page.Locator("#period-features tbody tr").First;
        await Expect(topPeriod).ToHaveAttributeAsync("data-status", "drift");
        var drifting = await topPeriod.GetAttributeAsync("data-feature");
        await Expect(page.Locator($"[data-period-chart='{drifting}'] [data-series='analysis']").First).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-period-chart='{drifting}']")).ToContainTextAsync("% of rows");
        await page.ScreenshotAsync("51-compare-periods");

        await page.Locator("#period-reference-mode [data-mode='training']").ClickAsync();
        await page.ClickAsync("#compare-periods");
        await Expect(result).ToContainTextAsync("against training of");
        await page.FillAsync("#analysis-from", "2019-01-01");
        await page.FillAsync("#analysis-to", "2019-01-31");
        await page.ClickAsync("#compare-periods");
        await Expect(page.Locator("#period-empty")).ToContainTextAsync("Nothing was batch-scored");
        await Expect(page.Locator("#period-empty")).ToContainTextAsync("2019-01-01 to 2019-01-31");
        await page.SetViewportSizeAsync(1024, 768);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the period comparison scrolls sideways at 1024 px");
        await page.ScreenshotAsync("52-compare-periods-empty-1024");

        using var api = fixture.App.CreateAdminClient();
        var health = await (await api.GetAsync($"/api/v1/tenants/{Tenant}/use-cases/{UseCase}/health")).ReadNodeAsync();
        Assert.Equal(verdict, health["verdict"]!.GetValue<string>());
        Assert.Equal(word, health["word"]!.GetValue<string>());
        var metrics = await (await api.GetAsync("/metrics")).Content.ReadAsStringAsync();
        var series = metrics.Split('\n').Single(l => l.StartsWith("controlplane_health_enrollments", StringComparison.Ordinal)
            && l.Contains($"use_case=\"{UseCase}\"", StringComparison.Ordinal) && l.Contains($"verdict=\"{verdict}\"", StringComparison.Ordinal));
        Assert.True(double.Parse(series[(series.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) >= 1, series);
    }
}
