using ControlPlane.Executor.Definitions;

namespace ControlPlane.Executor.Pipelines;

/// <summary><c>register</c>: records the trained artifact as the enrollment's next model version with its lineage.</summary>
public static class RegisterTask
{
    public const string Name = "register";

    public static Task RunAsync(TaskContext ctx) => throw new NotSupportedException("The model registry is not merged yet.");
}
