using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ControlPlane.BrowserTests.Infrastructure;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Runs;

public sealed partial class RunsJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly string[] DemoTasks = ["extract", "validate", "featurize-numbers", "featurize-text", "train", "evaluate"];

    [Fact]
    public async Task An_analyst_starts_the_demo_pipeline_and_watches_it_run_to_success_live()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync(ControlPlaneApp.AdminEmail, ControlPlaneApp.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true }).ClickAsync();
        await page.WaitForAddressAsync("**/runs");
        await page.WaitForInteractiveAsync();

        await page.ClickAsync("#start-run-toggle");
        await page.Locator("div.mud-select:has(#start-pipeline)").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = ExactlyDemo() }).ClickAsync();
        await page.FillAsync("#param-stepMs", "60");
        await page.ClickAsync("#start-run");
        await page.WaitForAddressAsync(RunUrl());
        var runId = RunUrl().Match(page.Url).Groups[1].Value;

        // Watch the bars: some task must be seen part-way (strictly between 0 and 100) before the run ends.
        var partWay = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && (await page.Locator("#run-state").TextContentAsync())?.Trim() != "Succeeded")
        {
            foreach (var (task, value) in await ProgressAsync(page))
            {
                if (value is > 0 and < 100 && partWay.TryAdd(task, value) && partWay.Count == 1)
                {
                    // The tail shows the running attempt's log from its first line, though the page opened as it started.
                    await Expect(page.Locator("#log-lines")).ToContainTextAsync("for no tenant:");
                    await page.ScreenshotAsync("runs-02-run-live");
                }
            }

            await Task.Delay(30);
        }

        await Expect(page.Locator("#run-state")).ToHaveTextAsync("Succeeded");
        Assert.NotEmpty(partWay);
        foreach (var task in partWay.Keys)
        {
            await Expect(page.Locator($"#task-table tr[data-task='{task}'] .cp-progress")).ToHaveAttributeAsync("data-progress", "100");
        }

        foreach (var task in DemoTasks)
        {
            await Expect(page.Locator($"#dag-graph g[data-task='{task}']")).ToHaveClassAsync(new Regex("cp-state-succeeded"));
        }

        // The log tail follows the task that ran last, down to its final line.
        await Expect(page.Locator("#log-title")).ToContainTextAsync("evaluate · attempt 1");
        await Expect(page.Locator("#log-lines")).ToContainTextAsync("evaluate for no tenant: 6 steps of 60 ms");
        await Expect(page.Locator("#log-lines")).ToContainTextAsync("Attempt 1 succeeded");
        await page.ScreenshotAsync("runs-03-run-succeeded");

        // Another task's log, from its attempt history.
        await page.Locator("#task-table tr[data-task='train'] .cp-expand").ClickAsync();
        await page.Locator("#task-table tr[data-attempts-of='train'] .cp-show-log").ClickAsync();
        await Expect(page.Locator("#log-title")).ToContainTextAsync("train · attempt 1");
        await Expect(page.Locator("#log-lines")).ToContainTextAsync("train for no tenant: 20 steps of 60 ms");
        await page.Locator("#log-tail").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "runs-04-log-tail.png") });

        // A second run that fails, started the way the API starts runs; the grid shows both, coloured by state.
        var failed = await StartAsync(new() { ["stepMs"] = "30", ["fail"] = "featurize-text" });
        await page.GotoAsync("/runs");
        await page.WaitForInteractiveAsync();
        await Expect(Cell(page, failed, "featurize-text")).ToHaveClassAsync(new Regex("cp-state-failed"), new() { Timeout = 30_000 });
        await Expect(Cell(page, failed, "train")).ToHaveClassAsync(new Regex("cp-state-upstream-failed"));
        await Expect(Cell(page, failed, "featurize-numbers")).ToHaveClassAsync(new Regex("cp-state-succeeded"));
        foreach (var task in DemoTasks)
        {
            await Expect(Cell(page, Guid.Parse(runId), task)).ToHaveClassAsync(new Regex("cp-state-succeeded"));
        }

        await Expect(page.Locator($"#run-grid th[data-run='{failed}'] .cp-run-bar")).ToHaveClassAsync(new Regex("cp-state-failed"));
        await Expect(page.Locator("#run-history tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#run-history tbody tr").First).ToContainTextAsync("Failed");
        await page.ScreenshotAsync("runs-01-grid");

        // The history filters on the server: only the failed run.
        await page.Locator("div.mud-select:has(#filter-state)").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Failed" }).ClickAsync();
        await Expect(page.Locator("#run-history tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#run-history tbody tr")).ToContainTextAsync("api by browser-test");

        // Clearing the failed task reruns it (a second attempt) and its downstream; it fails again, as told to.
        await Cell(page, failed, "featurize-text").ClickAsync();
        await page.WaitForAddressAsync($"**/runs/{failed}");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("#run-state")).ToHaveTextAsync("Failed");
        await Expect(page.Locator("#run-error")).ToContainTextAsync("featurize-text was told to fail");
        await page.Locator("#task-table tr[data-task='featurize-text'] .cp-expand").ClickAsync();
        var attempts = page.Locator("#task-table tr[data-attempts-of='featurize-text'] tr[data-attempt]");
        await Expect(attempts).ToHaveCountAsync(1);
        await page.Locator("#task-table tr[data-task='featurize-text'] .cp-clear").ClickAsync();
        await Expect(attempts).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(page.Locator("#run-state")).ToHaveTextAsync("Failed", new() { Timeout = 30_000 });
        await Expect(attempts.Nth(1)).ToContainTextAsync("Failed");
        await Expect(page.Locator("#log-title")).ToContainTextAsync("featurize-text · attempt 2");
        await Expect(page.Locator("#log-lines")).ToContainTextAsync("featurize-text was told to fail");
        await page.ScreenshotAsync("runs-05-run-failed-cleared");
    }

    private async Task<Guid> StartAsync(Dictionary<string, string> parameters)
    {
        var result = await fixture.App.WithScopeAsync(sp => sp.GetRequiredService<RunService>()
            .StartAsync(new StartRunRequest { Pipeline = "demo", Parameters = parameters }, "api", "browser-test"));
        Assert.True(result.IsOk, result.Message);
        return result.Value!.Id;
    }

    private static ILocator Cell(IPage page, Guid runId, string task) =>
        page.Locator($"#run-grid tr[data-task='{task}'] td[data-run='{runId}'] a.cp-square");

    private static async Task<Dictionary<string, double>> ProgressAsync(IPage page)
    {
        var values = await page.EvaluateAsync<Dictionary<string, string>>("""
            () => Object.fromEntries([...document.querySelectorAll('#task-table tr[data-task]')]
                .map(r => [r.dataset.task, r.querySelector('.cp-progress')?.dataset.progress ?? '0']))
            """);
        return values.ToDictionary(v => v.Key, v => double.Parse(v.Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("^demo$")]
    private static partial Regex ExactlyDemo();

    [GeneratedRegex("/runs/([0-9a-f-]{36})$")]
    private static partial Regex RunUrl();
}
