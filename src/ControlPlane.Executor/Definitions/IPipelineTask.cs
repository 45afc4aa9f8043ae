namespace ControlPlane.Executor.Definitions;

/// <summary>A task implementation resolved from DI in a fresh scope for every attempt.</summary>
public interface IPipelineTask
{
    Task ExecuteAsync(TaskContext context);
}
