using System.Net;
using System.Net.Http.Headers;
using ControlPlane.Core.Options;

namespace ControlPlane.Core.Monitoring;

/// <summary>Which answers are worth another try, and when.</summary>
public static class RetrySchedule
{
    /// <summary>Timeouts and connection errors (no status), 408, 429 and 5xx may pass; any other answer will not change.</summary>
    public static bool IsRetryable(int? statusCode) => statusCode is null or 408 or 429 or >= 500;

    /// <summary>
    /// Wait after failed attempt <paramref name="attempt"/> (1-based): first delay × 2^(attempt−1), capped, ±20 % jitter
    /// so endpoints that failed together are not retried in lock-step. A Retry-After from the receiver is honoured when it
    /// asks for longer (capped at the max delay, so a bad header cannot park a delivery for days).
    /// </summary>
    public static TimeSpan Delay(int attempt, WebhookOptions options, TimeSpan? retryAfter, Random random)
    {
        var exponential = options.FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        var jittered = capped * (0.8 + (0.4 * random.NextDouble()));
        if (retryAfter is { } asked && asked.TotalMilliseconds > jittered)
        {
            jittered = Math.Min(asked.TotalMilliseconds, options.MaxDelay.TotalMilliseconds);
        }

        return TimeSpan.FromMilliseconds(jittered);
    }

    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    public static bool IsSuccess(int status) => status is >= 200 and < 300;

    public static string Describe(HttpStatusCode status) => $"HTTP {(int)status} {status}";
}
