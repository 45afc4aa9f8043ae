using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Engine;

/// <summary>Who this process is in the cluster.</summary>
public sealed class ExecutorNode(IOptions<ExecutorOptions> options)
{
    public string Id { get; } = string.IsNullOrWhiteSpace(options.Value.NodeId)
        ? $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}"
        : options.Value.NodeId!;

    public NodeRole Role { get; } = options.Value.NodeRole;

    public bool Executes => Role is NodeRole.All or NodeRole.Executor;
}
