using System.Security.Claims;
using ControlPlane.Core.Security;
using ControlPlane.Executor.Schedules;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

public static class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants/{tenant}/use-cases/{useCase}/schedules", async (string tenant, string useCase, ScheduleService schedules, CancellationToken ct) =>
            TypedResults.Ok(await schedules.ListAsync(tenant, useCase, ct))).WithTags("Schedules").WithName("ListSchedules");
        api.MapPost("/tenants/{tenant}/use-cases/{useCase}/schedules", CreateSchedule).WithTags("Schedules").WithName("CreateSchedule")
            .RequireAuthorization(Policies.Analyze)
            .WithSummary("Schedule a pipeline for an enrollment: cron (5 fields, or 6–7 with seconds) in a time zone.");

        var group = api.MapGroup("/schedules").WithTags("Schedules");
        group.MapGet("", async (ScheduleService schedules, ControlPlane.Core.Security.TenantAccess access, ClaimsPrincipal user, CancellationToken ct) =>
            {
                var all = await schedules.ListAsync(ct: ct);
                var only = await access.SlugsAsync(ControlPlane.Core.Security.TenantScope.Of(user), ct);
                return TypedResults.Ok(only is null ? all : all.Where(s => only.Contains(s.Tenant, StringComparer.Ordinal)).ToList());
            }).WithName("AllSchedules").ScopeFiltered();
        group.MapPost("/{id:guid}/pause", async (Guid id, ScheduleService s, ClaimsPrincipal user, CancellationToken ct) => Reply(await s.PauseAsync(id, user.Actor(), ct)))
            .RequireAuthorization(Policies.Analyze).WithName("PauseSchedule");
        group.MapPost("/{id:guid}/resume", async (Guid id, ScheduleService s, ClaimsPrincipal user, CancellationToken ct) => Reply(await s.ResumeAsync(id, user.Actor(), ct)))
            .RequireAuthorization(Policies.Analyze).WithName("ResumeSchedule");
        group.MapPost("/{id:guid}/trigger", async (Guid id, ScheduleService s, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var result = await s.TriggerNowAsync(id, user.Actor(), ct);
            return result.IsOk ? TypedResults.Accepted($"/api/v1/runs/{result.Value!.Id}", new { runId = result.Value.Id }) : ApiResults.Problem(result);
        }).RequireAuthorization(Policies.Analyze).WithName("TriggerSchedule").WithSummary("Run the schedule's pipeline now.");
        group.MapDelete("/{id:guid}", async (Guid id, ScheduleService s, ClaimsPrincipal user, CancellationToken ct) => Reply(await s.DeleteAsync(id, user.Actor(), ct)))
            .RequireAuthorization(Policies.Analyze).WithName("DeleteSchedule");
        return group;
    }

    private static async Task<IResult> CreateSchedule(
        string tenant, string useCase, CreateScheduleRequest request, ScheduleService schedules, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await schedules.CreateAsync(tenant, useCase, request, user.Actor(), ct);
        return result.IsOk ? TypedResults.Created($"/api/v1/schedules/{result.Value!.Id}", result.Value) : ApiResults.Problem(result);
    }

    private static IResult Reply<T>(ControlPlane.Core.Common.Result<T> result) =>
        result.IsOk ? TypedResults.Ok(result.Value) : ApiResults.Problem(result);
}
