namespace ControlPlane.Executor.Engine;

/// <summary>Hands a claimed attempt to the job system that runs it (Quartz: a job that asks for recovery).</summary>
public interface IAttemptLauncher
{
    Task LaunchAsync(Guid attemptId, CancellationToken ct);

    /// <summary>Whether the job system still holds the attempt's job (scheduled or executing).</summary>
    Task<bool> ExistsAsync(Guid attemptId, CancellationToken ct);
}
