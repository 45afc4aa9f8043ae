using System.Security.Claims;
using ControlPlane.Core.Common;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Security;
using ControlPlane.Executor.Runs;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

public static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/pipelines", (RunService runs) => TypedResults.Ok(runs.Pipelines())).ScopeNeutral()
            .WithTags("Runs").WithName("ListPipelines").WithSummary("The pipelines the executor can run.");

        var group = api.MapGroup("/runs").WithTags("Runs");
        group.MapGet("", QueryRuns).ScopeFiltered().WithName("ListRuns").WithSummary("Run history: filter by tenant, use case, pipeline, state and time; newest first.");
        group.MapPost("", StartRun).ScopeFiltered().WithName("StartRun").RequireAuthorization(Policies.Analyze).WithSummary("Start a pipeline run; 202 with its id.");
        group.MapGet("/grid", GetGrid).WithName("RunGrid")
            .WithSummary("The latest runs of a pipeline (oldest first) with each task's state: the grid view of the runs page.");
        group.MapGet("/{runId:guid}", GetRun).WithName("GetRun").WithSummary("A run with its tasks, attempts and fan-out children.");
        group.MapPost("/{runId:guid}/cancel", CancelRun).WithName("CancelRun").RequireAuthorization(Policies.Analyze);
        group.MapPost("/{runId:guid}/tasks/{task}/clear", ClearTask).WithName("ClearTask").RequireAuthorization(Policies.Analyze)
            .WithSummary("Rerun a finished task and everything downstream of it.");
        group.MapPost("/{runId:guid}/rerun-failed", RerunFailed).WithName("RerunFailedChildren").RequireAuthorization(Policies.Analyze)
            .WithSummary("Rerun only the failed children of a fan-out run.");
        group.MapGet("/{runId:guid}/attempts/{attemptId:guid}/log", AttemptLog).WithName("AttemptLog")
            .WithSummary("An attempt's log lines after line id `after`.");
        return group;
    }

    public static async Task<IResult> QueryRuns(
        RunService runs, ControlPlane.Core.Security.TenantAccess access, ClaimsPrincipal user, string? tenant, string? useCase, string? pipeline,
        RunState? state, string? from, string? to, int? page, int? pageSize, CancellationToken ct)
    {
        if (pageSize is < 1 or > RunQuery.MaxPageSize)
        {
            return ApiResults.Problem(Result<object>.Invalid(nameof(pageSize), $"pageSize must be between 1 and {RunQuery.MaxPageSize}."));
        }

        var errors = new ValidationErrors();
        var created = TimeRange.Parse(from, to, errors);
        if (errors.Any)
        {
            return ApiResults.Problem(Result<object>.Invalid(errors));
        }

        var query = new RunQuery
        {
            Tenant = tenant, UseCase = useCase, Pipeline = pipeline, State = state,
            Created = created, Page = page ?? 0, PageSize = pageSize ?? 50,
            OnlyTenants = await access.SlugsAsync(ControlPlane.Core.Security.TenantScope.Of(user), ct),
        };
        return TypedResults.Ok(await runs.QueryAsync(query, ct));
    }

    public static async Task<IResult> StartRun(
        StartRunRequest request, RunService runs, ControlPlane.Core.Security.TenantAccess access, ClaimsPrincipal user, CancellationToken ct)
    {
        if (ControlPlane.Core.Security.TenantScope.Of(user) is { } scope && !await access.AllowsAsync(scope, request.Tenant, ct))
        {
            // A scoped caller starts runs of its own tenants only; a run of no tenant reaches across them.
            return request.Tenant is null
                ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.",
                    detail: $"This caller is limited to {scope.Describe()}; name one of its tenants in 'tenant'.")
                : ApiResults.NotFound($"Tenant '{request.Tenant}' was not found.");
        }

        var result = await runs.StartForCallerAsync(request, "api", user.Actor(), user.IsInRole(Roles.Admin), ct);
        return result.IsOk
            ? TypedResults.Accepted($"/api/v1/runs/{result.Value!.Id}", new { runId = result.Value.Id, run = result.Value })
            : ApiResults.Problem(result);
    }

    public static async Task<IResult> GetGrid(RunService runs, string pipeline, int? count, CancellationToken ct)
    {
        if (count is < 1 or > RunGrid.MaxRuns)
        {
            return ApiResults.Problem(Result<object>.Invalid(nameof(count), $"count must be between 1 and {RunGrid.MaxRuns}."));
        }

        return TypedResults.Ok(await runs.GridAsync(pipeline, count ?? 25, ct));
    }

    public static async Task<IResult> GetRun(Guid runId, RunService runs, CancellationToken ct) =>
        await runs.GetAsync(runId, ct) is { } run ? TypedResults.Ok(run) : ApiResults.NotFound($"Run {runId} does not exist.");

    public static async Task<IResult> CancelRun(Guid runId, RunService runs, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await runs.CancelAsync(runId, user.Actor(), ct);
        return result.IsOk ? TypedResults.Ok(new { runId, state = result.Value }) : ApiResults.Problem(result);
    }

    public static async Task<IResult> ClearTask(Guid runId, string task, RunService runs, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await runs.ClearAsync(runId, task, user.Actor(), ct);
        return result.IsOk ? TypedResults.Ok(new { runId, state = result.Value }) : ApiResults.Problem(result);
    }

    public static async Task<IResult> RerunFailed(Guid runId, RunService runs, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await runs.RerunFailedChildrenAsync(runId, user.Actor(), ct);
        return result.IsOk ? TypedResults.Ok(new { runId, rerun = result.Value }) : ApiResults.Problem(result);
    }

    public static async Task<IResult> AttemptLog(Guid runId, Guid attemptId, long? after, RunService runs, CancellationToken ct) =>
        TypedResults.Ok(await runs.LogAsync(attemptId, after ?? 0, 500, ct));
}
