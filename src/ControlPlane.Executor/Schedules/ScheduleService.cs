using ControlPlane.Core.Tenants;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor.Definitions;
using ControlPlane.Executor.Engine;
using ControlPlane.Executor.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Schedules;

public sealed record ScheduleSummary(Guid Id, string Tenant, string UseCase, string Pipeline, string Cron, string TimeZone, bool Paused,
    DateTime? LastRunAt, DateTime? NextRunAt, DateTime CreatedAt, string CreatedBy, IReadOnlyDictionary<string, string>? Parameters = null);

public sealed class CreateScheduleRequest
{
    public string? Pipeline { get; set; }
    public string? Cron { get; set; }
    public string? TimeZone { get; set; }

    /// <summary>What each run takes (the pipeline's declared parameters); days may be relative: today, yesterday, today-N.</summary>
    public Dictionary<string, string>? Parameters { get; set; }
}

/// <summary>
/// Cron schedules per enrollment and pipeline. The table is the source of truth; executor nodes mirror it into Quartz
/// cron triggers (<see cref="ScheduleSync"/>), so a web-only node can manage schedules too.
/// </summary>
public sealed class ScheduleService(
    IDbContextFactory<ControlPlaneDbContext> dbs, PipelineCatalog catalog, DagEngine engine, TimeProvider time,
    IEnumerable<ScheduleSync> sync, ILogger<ScheduleService> logger)
{
    public async Task<IReadOnlyList<ScheduleSummary>> ListAsync(string? tenant = null, string? useCase = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.PipelineSchedules.AsNoTracking()
            .Where(s => (tenant == null || s.TenantSlug == tenant) && (useCase == null || s.UseCase == useCase))
            .OrderBy(s => s.TenantSlug).ThenBy(s => s.UseCase).ThenBy(s => s.Pipeline).ToListAsync(ct);
        return rows.Select(ToSummary).ToList();
    }

    public async Task<Result<ScheduleSummary>> CreateAsync(string tenant, string useCase, CreateScheduleRequest request, string actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var pipeline = string.IsNullOrWhiteSpace(request.Pipeline) ? null : catalog.Find(request.Pipeline);
        if (pipeline is null || pipeline.ForWholeUseCase || pipeline.AdminOnly)
        {
            errors.Add(nameof(request.Pipeline), pipeline is null
                ? $"Pipeline '{request.Pipeline}' is not defined (known: {string.Join(", ", catalog.All.Where(p => !p.ForWholeUseCase && !p.AdminOnly).Select(p => p.Name).Order())})."
                : pipeline.FanOut is not null
                    ? $"Pipeline '{request.Pipeline}' fans out over all tenants and cannot be scheduled per enrollment."
                    : pipeline.AdminOnly
                        ? $"Pipeline '{request.Pipeline}' is system maintenance, run by its own sweep; it cannot be scheduled per enrollment."
                        : $"Pipeline '{request.Pipeline}' runs for every tenant of a use case and cannot be scheduled per enrollment.");
        }

        if (CronText.Problem(request.Cron, request.TimeZone) is { } cronProblem)
        {
            errors.Add(nameof(request.Cron), cronProblem);
        }

        if (CronText.TimeZoneProblem(request.TimeZone) is { } zoneProblem)
        {
            errors.Add(nameof(request.TimeZone), zoneProblem);
        }

        if (pipeline is not null)
        {
            // A schedule must carry what its pipeline needs: a daily backfill with no days would fail every run.
            PipelineParameters.Check(pipeline, request.Parameters, errors);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Enrollments.AnyAsync(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase, ct))
        {
            return Result<ScheduleSummary>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
        }

        if (errors.Any)
        {
            return Result<ScheduleSummary>.Invalid(errors);
        }

        if (await db.PipelineSchedules.AnyAsync(s => s.TenantSlug == tenant && s.UseCase == useCase && s.Pipeline == request.Pipeline, ct))
        {
            return Result<ScheduleSummary>.Conflict(nameof(request.Pipeline), $"'{tenant}/{useCase}' already has a schedule for '{request.Pipeline}'.");
        }

        var schedule = new PipelineSchedule
        {
            Id = Guid.NewGuid(), TenantSlug = tenant, UseCase = useCase, Pipeline = request.Pipeline!, Cron = request.Cron!.Trim(),
            TimeZone = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim(), CreatedAt = Clock.UtcNow(time), CreatedBy = actor,
            ParametersJson = System.Text.Json.JsonSerializer.Serialize(request.Parameters ?? new Dictionary<string, string>()),
        };
        db.PipelineSchedules.Add(schedule);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Schedule {ScheduleId} '{Cron}' ({TimeZone}) of {Pipeline} for {TenantSlug}/{UseCase} created by {Actor}",
            schedule.Id, schedule.Cron, schedule.TimeZone, schedule.Pipeline, tenant, useCase, actor);
        await SyncNowAsync(ct);
        return Result<ScheduleSummary>.Ok(ToSummary(schedule));
    }

    public Task<Result<ScheduleSummary>> PauseAsync(Guid id, string actor, CancellationToken ct = default) => SetPausedAsync(id, true, actor, ct);

    public Task<Result<ScheduleSummary>> ResumeAsync(Guid id, string actor, CancellationToken ct = default) => SetPausedAsync(id, false, actor, ct);

    public async Task<Result<bool>> DeleteAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (await db.PipelineSchedules.Where(s => s.Id == id).ExecuteDeleteAsync(ct) == 0)
        {
            return Result<bool>.NotFound($"Schedule {id} does not exist.");
        }

        logger.LogInformation("Schedule {ScheduleId} deleted by {Actor}", id, actor);
        await SyncNowAsync(ct);
        return Result<bool>.Ok(true);
    }

    /// <summary>Starts the schedule's pipeline now, outside its cron times.</summary>
    public async Task<Result<RunSummary>> TriggerNowAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var schedule = await db.PipelineSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null)
        {
            return Result<RunSummary>.NotFound($"Schedule {id} does not exist.");
        }

        var run = await engine.CreateRunAsync(new RunRequest(schedule.Pipeline, schedule.TenantSlug, schedule.UseCase,
            ParametersNow(catalog, schedule, time), "manual", actor), ct);
        return Result<RunSummary>.Ok(RunService.ToSummary(run));
    }

    /// <summary>The schedule's parameters for a run starting now: relative days resolved in the schedule's time zone.</summary>
    internal static IReadOnlyDictionary<string, string>? ParametersNow(PipelineCatalog catalog, PipelineSchedule schedule, TimeProvider time)
    {
        var values = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(schedule.ParametersJson) ?? [];
        if (values.Count == 0 || catalog.Find(schedule.Pipeline) is not { } pipeline) return values.Count == 0 ? null : values;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        return PipelineParameters.Resolve(pipeline, values, today);
    }

    private async Task<Result<ScheduleSummary>> SetPausedAsync(Guid id, bool paused, string actor, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var schedule = await db.PipelineSchedules.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null)
        {
            return Result<ScheduleSummary>.NotFound($"Schedule {id} does not exist.");
        }

        schedule.Paused = paused;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Schedule {ScheduleId} {Action} by {Actor}", id, paused ? "paused" : "resumed", actor);
        await SyncNowAsync(ct);
        return Result<ScheduleSummary>.Ok(ToSummary(schedule));
    }

    private async Task SyncNowAsync(CancellationToken ct)
    {
        foreach (var s in sync)
        {
            await s.SyncAsync(ct);
        }
    }

    private static ScheduleSummary ToSummary(PipelineSchedule s) => new(
        s.Id, s.TenantSlug, s.UseCase, s.Pipeline, s.Cron, s.TimeZone, s.Paused, s.LastRunAt, s.Paused ? null : NextRun(s), s.CreatedAt, s.CreatedBy,
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(s.ParametersJson));

    internal static DateTime? NextRun(PipelineSchedule s)
    {
        try
        {
            var cron = Quartz.CronExpression.Parse(s.Cron, CronText.FormatOf(s.Cron)).WithTimeZone(TimeZoneInfo.FindSystemTimeZoneById(s.TimeZone));
            return cron.GetNextValidTimeAfter(DateTimeOffset.UtcNow)?.UtcDateTime;
        }
        catch (Exception ex) when (ex is FormatException or TimeZoneNotFoundException)
        {
            return null;
        }
    }
}
