using Quartz;

namespace ControlPlane.Executor.Engine;

/// <summary>The Quartz job of one attempt. It asks for recovery: if its node dies, the job runs again (on another node
/// in a cluster, or here after a restart) and the runner records the interruption and retries.</summary>
public sealed class TaskAttemptJob(AttemptRunner runner) : IJob
{
    public const string Group = "attempts";
    public const string AttemptKey = "attemptId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var attemptId = Guid.Parse((string)context.MergedJobDataMap[AttemptKey]!);
        await runner.RunAsync(attemptId, cancellationToken);
    }
}
