using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Monitoring.Sla;
using ControlPlane.Core.Tenants;
using ControlPlane.Executor.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// "monitor": every check of one enrollment — <c>drift-check</c> (batch and real-time) and <c>decay-check</c> side by
/// side, <c>sla-check</c> (today, and yesterday so a batch deadline gets its final verdict), then
/// <c>retrain-policy</c>, which may start a retrain on the drift or decay just found. "monitor-all": the same for every
/// enrollment of a use case in one task (started by the monitoring sweep, see <see cref="MonitoringSweep"/>); one
/// enrollment's failure is logged and the others are still checked.
/// </summary>
public static class MonitoringPipelines
{
    public const string Monitor = "monitor";
    public const string MonitorAll = "monitor-all";
    public const string DecayCheckTask = "decay-check";
    public const string SlaCheckTask = "sla-check";
    public const string RetrainPolicyTask = "retrain-policy";
    public const string MonitorEnrollmentsTask = "monitor-enrollments";

    public static PipelineDefinition Definition() => Pipeline.Define(Monitor, p => p
        .Describe("Checks one enrollment: drift of batch and real-time inputs and predictions, decay from feedback and the label-free estimate, SLAs; then applies the auto-retrain policy.")
        .Task(DriftPipelines.DriftCheckTask, DriftPipelines.CheckAllSourcesAsync).Pool(DriftPipelines.PoolName).Timeout(TimeSpan.FromHours(1)).Retry(2, TimeSpan.FromSeconds(5))
        .Task(DecayCheckTask, DecayAsync).Pool(DriftPipelines.PoolName).Timeout(TimeSpan.FromHours(1)).Retry(2, TimeSpan.FromSeconds(5))
        .Task(SlaCheckTask, SlaAsync).Timeout(TimeSpan.FromMinutes(10)).Retry(2, TimeSpan.FromSeconds(5))
        .Task(RetrainPolicyTask, PolicyAsync).After(DriftPipelines.DriftCheckTask, DecayCheckTask).Timeout(TimeSpan.FromMinutes(5)).Retry(2, TimeSpan.FromSeconds(5)));

    /// <summary>Started with a use case and no tenant.</summary>
    public static PipelineDefinition AllDefinition() => Pipeline.Define(MonitorAll, p => p
        .PerUseCase()
        .Describe("For the chosen use case: drift, decay, SLAs and the auto-retrain policy of every enrolled tenant, one after the other.")
        .Task(MonitorEnrollmentsTask, MonitorEnrollmentsAsync).Pool(DriftPipelines.PoolName).Timeout(TimeSpan.FromHours(12)));

    private static async Task DecayAsync(TaskContext ctx)
    {
        var enrollment = await EnrollmentIdAsync(ctx);
        var result = await ctx.Services.GetRequiredService<DecayChecks>().CheckAsync(enrollment, ctx.CancellationToken);
        ctx.Log.LogInformation("Decay: {Status} over {Days} days ({Note})", result.Status, result.Days, result.Note);
        await ctx.ReportProgressAsync(100, $"Decay {result.Status}: {result.Note}");
    }

    private static async Task SlaAsync(TaskContext ctx)
    {
        var enrollment = await EnrollmentIdAsync(ctx);
        foreach (var check in await CheckSlasAsync(ctx.Services, enrollment, ctx.CancellationToken))
        {
            foreach (var verdict in check.Verdicts)
            {
                ctx.Log.LogInformation("SLA {Day:yyyy-MM-dd}: {Verdict}", check.Day, verdict);
            }
        }

        await ctx.ReportProgressAsync(100, "SLAs checked");
    }

    private static async Task PolicyAsync(TaskContext ctx)
    {
        var enrollment = await EnrollmentIdAsync(ctx);
        var result = await ctx.Services.GetRequiredService<RetrainPolicy>().ApplyAsync(enrollment, ctx.CancellationToken);
        ctx.Log.LogInformation("Auto-retrain: {Decision}. {Message}", result.Decision, result.Message);
        await ctx.ReportProgressAsync(100, result.Message);
    }

    private static async Task MonitorEnrollmentsAsync(TaskContext ctx)
    {
        if (ctx.Tenant is not null || ctx.UseCase is null)
        {
            throw new InvalidOperationException($"'{ctx.Pipeline}' checks every tenant of one use case: start it with a use case and no tenant.");
        }

        List<(Guid Id, string Tenant)> enrollments;
        await using (var db = await ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync(ctx.CancellationToken))
        {
            enrollments = (await db.Enrollments.AsNoTracking().Where(e => e.UseCase!.Key == ctx.UseCase)
                    .OrderBy(e => e.Tenant!.Slug).Select(e => new { e.Id, e.Tenant!.Slug }).ToListAsync(ctx.CancellationToken))
                .Select(e => (e.Id, e.Slug)).ToList();
        }

        var failed = new List<string>();
        for (var i = 0; i < enrollments.Count; i++)
        {
            var (id, tenant) = enrollments[i];
            await ctx.ReportProgressAsync(100.0 * i / enrollments.Count, $"{tenant} ({i + 1} of {enrollments.Count})");
            try
            {
                var retrain = await CheckEnrollmentAsync(ctx.Services, id, ctx.RunId, ctx.CancellationToken);
                if (retrain.Decision is RetrainDecision.Started or RetrainDecision.Failed)
                {
                    ctx.Log.LogInformation("{TenantSlug}: auto-retrain {Decision}. {Message}", tenant, retrain.Decision, retrain.Message);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed.Add(tenant);
                ctx.Log.LogError(ex, "Checking {TenantSlug} failed; going on with the others", tenant);
            }
        }

        var summary = $"{enrollments.Count - failed.Count} of {enrollments.Count} enrollments of {ctx.UseCase} checked";
        await ctx.ReportProgressAsync(100, summary);
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"{summary}; failed: {string.Join(", ", failed.Take(10))}{(failed.Count > 10 ? ", …" : "")} (see the log).");
        }
    }

    /// <summary>
    /// What <c>monitor-all</c> does for each enrollment: drift of both sources, decay, the SLAs, then the auto-retrain
    /// policy (whose decision it returns).
    /// </summary>
    public static async Task<RetrainPolicyResult> CheckEnrollmentAsync(IServiceProvider services, Guid enrollment, Guid? runId, CancellationToken ct)
    {
        var drift = services.GetRequiredService<DriftChecks>();
        foreach (var source in DriftChecks.Sources)
        {
            await drift.CheckAsync(enrollment, source, runId, ct);
        }

        await services.GetRequiredService<DecayChecks>().CheckAsync(enrollment, ct);
        await CheckSlasAsync(services, enrollment, ct);
        return await services.GetRequiredService<RetrainPolicy>().ApplyAsync(enrollment, ct);
    }

    /// <summary>Today's SLAs, and yesterday's again so a deadline that passed after the last check gets its verdict.</summary>
    private static async Task<IReadOnlyList<SlaCheck>> CheckSlasAsync(IServiceProvider services, Guid enrollment, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(Clock.UtcNow(services.GetRequiredService<TimeProvider>()));
        var slas = services.GetRequiredService<SlaChecks>();
        return [await slas.CheckAsync(enrollment, today.AddDays(-1), ct), await slas.CheckAsync(enrollment, today, ct)];
    }

    internal static async Task<Guid> EnrollmentIdAsync(TaskContext ctx)
    {
        var (tenant, useCase) = DataTasks.Enrollment(ctx);
        await using var db = await ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
        return await Enrollment.FindIdAsync(db, tenant, useCase, ctx.CancellationToken) ?? throw new InvalidOperationException(Enrollment.NotEnrolled(tenant, useCase));
    }
}
