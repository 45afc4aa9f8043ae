using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Executor.Engine;
using Microsoft.EntityFrameworkCore;
using Quartz;

namespace ControlPlane.Executor.Schedules;

/// <summary>Fired by a schedule's cron trigger: starts one run of the schedule's pipeline for its enrollment.</summary>
public sealed class ScheduledRunJob(IDbContextFactory<ControlPlaneDbContext> dbs, DagEngine engine, Definitions.PipelineCatalog catalog, TimeProvider time) : IJob
{
    public const string ScheduleKey = "scheduleId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var id = Guid.Parse((string)context.MergedJobDataMap[ScheduleKey]!);
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var schedule = await db.PipelineSchedules.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null || schedule.Paused)
        {
            return;
        }

        await engine.CreateRunAsync(new RunRequest(schedule.Pipeline, schedule.TenantSlug, schedule.UseCase,
            ScheduleService.ParametersNow(catalog, schedule, time), "schedule",
            $"schedule {schedule.Cron} ({schedule.TimeZone})"), cancellationToken);
        schedule.LastRunAt = Clock.UtcNow(time);
        await db.SaveChangesAsync(cancellationToken);
    }
}
