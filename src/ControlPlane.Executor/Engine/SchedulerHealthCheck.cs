using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Quartz;

namespace ControlPlane.Executor.Engine;

/// <summary>
/// Readiness of an executing node: the Quartz scheduler is started, not in standby and not shut down, and the executor
/// loop is alive (running and through a cycle recently). A node that fails it takes no new attempts from its
/// dispatcher, so a load balancer or orchestrator should stop sending it work and restart it.
/// </summary>
public sealed class SchedulerHealthCheck(
    ISchedulerFactory schedulers, ExecutorLoop loop, IOptions<ExecutorOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Quartz's own check (AddQuartzHealthChecks) calls standby "degraded", which answers 200: here a node whose
        // scheduler launches nothing is not ready.
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        switch (scheduler.Status)
        {
            case SchedulerStatus.Running:
                break;
            case SchedulerStatus.Standby:
                return HealthCheckResult.Unhealthy("The Quartz scheduler is in standby.");
            case SchedulerStatus.Created:
                return HealthCheckResult.Unhealthy("The Quartz scheduler has not started.");
            default:
                return HealthCheckResult.Unhealthy($"The Quartz scheduler is not running ({scheduler.Status}).");
        }

        if (!loop.IsRunning)
        {
            return HealthCheckResult.Unhealthy("The executor loop is not running.");
        }

        // A cycle waits at most the poll interval; dispatch and repair queries get generous room on a busy database.
        if (loop.LastBeat == 0)
        {
            return HealthCheckResult.Unhealthy("The executor loop is starting: it has not cycled yet.");
        }

        var stale = TimeSpan.FromMilliseconds(options.Value.PollIntervalMilliseconds) + TimeSpan.FromSeconds(60);
        var since = time.GetElapsedTime(loop.LastBeat);
        return since > stale
            ? HealthCheckResult.Unhealthy($"The executor loop has not cycled for over {stale.TotalSeconds:0} s.")
            : HealthCheckResult.Healthy("The scheduler runs and the executor loop cycles.");
    }
}
