using System.Diagnostics;

namespace ControlPlane.IntegrationTests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes; generous for a loaded two-core machine.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (deadline.Elapsed < limit)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}.");
    }
}
