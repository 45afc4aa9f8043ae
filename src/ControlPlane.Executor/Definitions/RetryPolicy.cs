namespace ControlPlane.Executor.Definitions;

/// <summary>How often a task is tried and how long it waits between tries: exponential backoff with a ceiling.</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan InitialDelay, double BackoffFactor = 2.0, TimeSpan? MaxDelay = null)
{
    public static readonly RetryPolicy None = new(1, TimeSpan.Zero);

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        if (nextAttempt <= 1)
        {
            return TimeSpan.Zero;
        }

        var ticks = InitialDelay.Ticks * Math.Pow(BackoffFactor, nextAttempt - 2);
        var ceiling = (MaxDelay ?? TimeSpan.FromHours(1)).Ticks;
        return TimeSpan.FromTicks((long)Math.Min(ticks, ceiling));
    }
}
