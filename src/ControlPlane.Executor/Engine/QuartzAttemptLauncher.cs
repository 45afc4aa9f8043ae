using Microsoft.Extensions.Options;
using Quartz;

namespace ControlPlane.Executor.Engine;

/// <summary>Launches an attempt as a Quartz job pinned to the node that claimed it (failing over if that node dies).</summary>
public sealed class QuartzAttemptLauncher(ISchedulerFactory schedulers, ExecutorNode node, IOptions<ExecutorOptions> options) : IAttemptLauncher
{
    public async Task LaunchAsync(Guid attemptId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        var key = attemptId.ToString();
        var job = JobBuilder.Create<TaskAttemptJob>()
            .WithIdentity(key, TaskAttemptJob.Group)
            .UsingJobData(TaskAttemptJob.AttemptKey, key)
            .RequestRecovery()
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(key, TaskAttemptJob.Group)
            .ForJob(job)
            .StartNow()
            .WithPreferredNode(options.Value.Clustered ? PreferredNode.For(node.Id) : PreferredNode.None)
            .Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions(), ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Launched already (a repair pass raced the dispatcher): one job per attempt is the point.
        }
    }

    public async Task<bool> ExistsAsync(Guid attemptId, CancellationToken ct)
    {
        var scheduler = await schedulers.GetScheduler(ct);
        return await scheduler.Exists(new JobKey(attemptId.ToString(), TaskAttemptJob.Group), ct);
    }
}
