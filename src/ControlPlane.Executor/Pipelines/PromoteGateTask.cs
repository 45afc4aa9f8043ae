using ControlPlane.Executor.Definitions;

namespace ControlPlane.Executor.Pipelines;

/// <summary><c>promote-gate</c>: makes the new version challenger and lets the promotion gate decide whether it becomes champion.</summary>
public static class PromoteGateTask
{
    public const string Name = "promote-gate";

    public static Task RunAsync(TaskContext ctx) => throw new NotSupportedException("The model registry is not merged yet.");
}
