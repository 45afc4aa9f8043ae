using System.Diagnostics;

namespace ControlPlane.IntegrationTests.Infrastructure;

/// <summary>Polls until a condition holds or a deadline passes; the failure says what was awaited and what was last seen.</summary>
public static class Eventually
{
    /// <summary>Generous: the machine running the tests may be busy with other work.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, Func<T, string>? describe = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                var seen = describe is null ? value?.ToString() : describe(value);
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {what}; last seen: {seen}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 250));
        }
    }

    public static Task Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(condition()), ok => ok, what, timeout);

    /// <summary>Waits for an asynchronous condition.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Until(condition, ok => ok, what, timeout);
}
