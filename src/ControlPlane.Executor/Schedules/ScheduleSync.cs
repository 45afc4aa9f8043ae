using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ControlPlane.Executor.Schedules;

/// <summary>
/// Mirrors the schedules table into Quartz cron triggers: creates missing ones, replaces changed ones, pauses, resumes
/// and removes. Misfires fire once and proceed, so a node that was down for a day starts one run, not one per missed slot.
/// </summary>
public sealed class ScheduleSync(IDbContextFactory<ControlPlaneDbContext> dbs, ISchedulerFactory schedulers, ILogger<ScheduleSync> logger)
{
    public const string Group = "schedules";
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task SyncAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var scheduler = await schedulers.GetScheduler(ct);
            await using var db = await dbs.CreateDbContextAsync(ct);
            var schedules = await db.PipelineSchedules.AsNoTracking().ToListAsync(ct);
            var wanted = schedules.ToDictionary(s => s.Id.ToString());
            foreach (var schedule in schedules)
            {
                var key = new TriggerKey(schedule.Id.ToString(), Group);
                var description = $"{schedule.Cron}|{schedule.TimeZone}";
                var existing = await scheduler.GetTrigger(key, ct);
                if (existing is null || existing.Description != description)
                {
                    var job = JobBuilder.Create<ScheduledRunJob>().WithIdentity(schedule.Id.ToString(), Group)
                        .UsingJobData(ScheduledRunJob.ScheduleKey, schedule.Id.ToString()).Build();
                    var trigger = TriggerBuilder.Create().WithIdentity(key).ForJob(job).WithDescription(description)
                        .WithSchedule(CronScheduleBuilder.Create(schedule.Cron, CronText.FormatOf(schedule.Cron))
                            .InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone))
                            .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                        .Build();
                    await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions { Replace = true }, ct);
                    logger.LogInformation("Schedule {ScheduleId} registered: {Cron} ({TimeZone})", schedule.Id, schedule.Cron, schedule.TimeZone);
                }

                var state = await scheduler.GetTriggerState(key, ct);
                if (schedule.Paused && state != TriggerState.Paused)
                {
                    await scheduler.PauseTrigger(key, ct);
                }
                else if (!schedule.Paused && state == TriggerState.Paused)
                {
                    await scheduler.ResumeTrigger(key, ct);
                }
            }

            var registered = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(Group), ct);
            foreach (var key in registered.Where(k => !wanted.ContainsKey(k.Name)))
            {
                await scheduler.DeleteJob(new JobKey(key.Name, Group), ct);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
