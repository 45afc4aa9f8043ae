using System.Security.Claims;
using ControlPlane.Core.Security;
using ControlPlane.Core.UseCases;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

public static class UseCasesApi
{
    public static RouteGroupBuilder MapUseCasesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/use-cases").WithTags("Use cases");
        group.MapGet("", ListUseCases).ScopeFiltered().WithName("ListUseCases").WithSummary("All use cases with their default features.");
        group.MapGet("/{useCase}", GetUseCase).ScopeFiltered().WithName("GetUseCase");
        // A template holds no tenant's data: every caller may have it.
        group.MapGet("/{useCase}/template.csv", Template).ScopeFiltered().WithName("GetUseCaseTemplate")
            .WithSummary("A CSV with the columns the use case expects (entity key, event time, label, features) and two example rows.");
        group.MapPost("", CreateUseCase).WithName("CreateUseCase").RequireAuthorization(Policies.Analyze)
            .WithSummary("Define a new use case.");
        return group;
    }

    public static async Task<IResult> ListUseCases(
        UseCaseService useCases, ControlPlane.Core.Security.TenantAccess access, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await useCases.ListAsync(ct, await access.SlugsAsync(ControlPlane.Core.Security.TenantScope.Of(user), ct)));

    public static async Task<IResult> GetUseCase(
        string useCase, UseCaseService useCases, ControlPlane.Core.Security.TenantAccess access, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) =>
        await useCases.GetAsync(useCase, ct, await access.SlugsAsync(ControlPlane.Core.Security.TenantScope.Of(user), ct)) is { } found ? TypedResults.Ok(found) : ApiResults.NotFound($"Use case '{useCase}' does not exist.");

    public static async Task<IResult> Template(string useCase, UseCaseService useCases, CancellationToken ct) =>
        await useCases.GetAsync(useCase, ct) is { } found
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(UseCaseTemplate.Csv(found)), "text/csv; charset=utf-8", UseCaseTemplate.FileName(found.Key))
            : ApiResults.NotFound($"Use case '{useCase}' does not exist.");

    /// <summary>The template for the browser (cookie-authenticated), as the onboarding wizard links it.</summary>
    public static WebApplication MapTemplateDownloads(this WebApplication app)
    {
        app.MapGet("/downloads/use-cases/{useCase}/template.csv", Template).RequireAuthorization(Policies.Read).ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> CreateUseCase(CreateUseCaseRequest request, UseCaseService useCases, ClaimsPrincipal user, CancellationToken ct)
    {
        var result = await useCases.CreateAsync(request, user.Actor(), ct);
        return result.IsOk ? TypedResults.Created($"/api/v1/use-cases/{result.Value!.Key}", result.Value) : ApiResults.Problem(result);
    }
}
