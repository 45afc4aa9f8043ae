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
        static bool SignedIn(string url) => !url.Contains("/account/login", StringComparison.Ordinal);
        await page.GotoAsync("/account/login");
        for (var attempt = 1; ; attempt++)
        {
            await page.FillAsync("#email", email);
            await page.FillAsync("#password", password);
            await page.ClickAsync("#sign-in");
            try
            {
                // The address is enough (commit), with a generous limit: the first page after signing in may be the app's
                // first render of it on a loaded machine.
                await page.WaitForURLAsync(SignedIn, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 20_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3 && !SignedIn(page.Url))
            {
                // Still on the sign-in page (CI saw it twice, under load, with no error shown): the post may have left
                // before the fields were filled. Fill them again — unless the page says the sign-in was refused.
                var refused = await page.Locator("#login-error, .cp-field-error").AllInnerTextsAsync();
                if (refused.Any(t => !string.IsNullOrWhiteSpace(t) && !t.Contains("required", StringComparison.OrdinalIgnoreCase)))
                {
                    throw new InvalidOperationException($"Signing in as {email} was refused: {string.Join(" ", refused)}");
                }

                // Left in the run's output so the cause can be found: what the page showed when the post did not get through.
                Console.WriteLine($"[sign-in] attempt {attempt} still on {page.Url} after 20 s; fields: '{await page.InputValueAsync("#email")}', "
                    + $"password {(await page.InputValueAsync("#password")).Length} chars; messages: {string.Join(" | ", refused)}");
            }
        }

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
