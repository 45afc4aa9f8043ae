using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPlane.BrowserTests.Infrastructure;

public static class PageExtensions
{
    /// <summary>Waits until the Blazor circuit is connected, so clicks reach the server.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        Expect(page.Locator("#cp-root[data-interactive='true']")).ToBeAttachedAsync();

    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#sign-in");
        // The first page after signing in may be the app's first render of it on a loaded machine (CI once waited more
        // than 15 s for its load event): the address is enough, then the circuit, each with a generous limit.
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });
        await Expect(page.Locator("#cp-root[data-interactive='true']")).ToBeAttachedAsync(new() { Timeout = 30_000 });
    }

    /// <summary>
    /// Waits for the address to change. Blazor navigates inside the page (no load event), and a busy CI machine may take
    /// a while: commit is enough, with a generous limit.
    /// </summary>
    public static Task WaitForAddressAsync(this IPage page, string glob) =>
        page.WaitForURLAsync(glob, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });

    public static Task WaitForAddressAsync(this IPage page, System.Text.RegularExpressions.Regex pattern) =>
        page.WaitForURLAsync(pattern, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });

    /// <summary>
    /// Chooses a file in a Blazor file input and waits until the component shows it. Blazor wires the input up through
    /// JavaScript after it renders; a file set before that is lost, so the choice is repeated until it is seen.
    /// </summary>
    public static async Task ChooseFileAsync(this IPage page, ILocator input, FilePayload file, ILocator shown)
    {
        for (var attempt = 1; ; attempt++)
        {
            await input.SetInputFilesAsync(file);
            try
            {
                await Microsoft.Playwright.Assertions.Expect(shown).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 5)
            {
                // Not picked up yet: choose it again.
            }
        }
    }

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png"), FullPage = true });
}
