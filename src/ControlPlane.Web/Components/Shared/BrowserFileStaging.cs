using Microsoft.AspNetCore.Components.Forms;

namespace ControlPlane.Web.Components.Shared;

/// <summary>
/// Copies a file the browser is sending to a temporary file on the server, reporting progress at most five times a
/// second. The browser's file handle lives only as long as its input element, so components stage files as soon as
/// they are chosen.
/// </summary>
public static class BrowserFileStaging
{
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Returns the temporary file's path; the caller deletes it. Throws <see cref="IOException"/> (nothing left behind).</summary>
    public static async Task<string> StageAsync(IBrowserFile file, string prefix, long maxBytes, Action<long> onProgress, Func<Task> render)
    {
        var staged = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}{Path.GetExtension(file.Name)}");
        try
        {
            var lastRender = DateTime.UtcNow;
            await using var source = new ProgressStream(file.OpenReadStream(maxBytes), read =>
            {
                onProgress(read);
                if (DateTime.UtcNow - lastRender > RenderInterval)
                {
                    lastRender = DateTime.UtcNow;
                    _ = render();
                }
            });
            await using (var target = File.Create(staged))
            {
                await source.CopyToAsync(target);
            }

            return staged;
        }
        catch (IOException)
        {
            File.Delete(staged);
            throw;
        }
    }
}
