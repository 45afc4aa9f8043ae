namespace ControlPlane.Executor.Definitions;

/// <summary>
/// One task of a pipeline: what runs, what it waits for, how it is retried and bounded. <paramref name="Idempotent"/>:
/// running it again after a crash cut it short gives the same result as running it once (every task of the product is;
/// one that is not says <c>NotIdempotent()</c> and an interruption fails it instead of repeating it).
/// </summary>
public sealed record TaskDefinition(
    string Name,
    Type? HandlerType,
    Func<TaskContext, Task>? Delegate,
    IReadOnlyList<string> DependsOn,
    RetryPolicy Retry,
    TimeSpan? Timeout,
    string Pool,
    bool Idempotent = true);
