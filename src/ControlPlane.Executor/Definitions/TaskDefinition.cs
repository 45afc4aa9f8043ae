namespace ControlPlane.Executor.Definitions;

/// <summary>One task of a pipeline: what runs, what it waits for, how it is retried and bounded.</summary>
public sealed record TaskDefinition(
    string Name,
    Type? HandlerType,
    Func<TaskContext, Task>? Delegate,
    IReadOnlyList<string> DependsOn,
    RetryPolicy Retry,
    TimeSpan? Timeout,
    string Pool);
