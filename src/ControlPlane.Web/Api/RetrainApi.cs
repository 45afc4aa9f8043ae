using System.Security.Claims;
using ControlPlane.Core.Security;
using ControlPlane.Executor.Pipelines;
using ControlPlane.Web.Auth;

namespace ControlPlane.Web.Api;

/// <summary>Starting retrains — one enrollment (<c>retrain</c>) or every tenant of a use case (<c>retrain-all</c>) — and reproductions of a version (<c>reproduce</c>); 202 with the run's id.</summary>
public static class RetrainApi
{
    public static RouteGroupBuilder MapRetrainApi(this RouteGroupBuilder api)
    {
        api.MapPost("/tenants/{tenant}/use-cases/{useCase}/retrain", Retrain).WithName("Retrain").WithTags("Training")
            .RequireAuthorization(Policies.Analyze)
            .WithSummary("Retrain the enrollment's model: ingest, validate, featurize, train, evaluate, register, promotion gate.");
        api.MapPost("/use-cases/{useCase}/retrain", RetrainAll).WithName("RetrainAll").WithTags("Training")
            .RequireAuthorization(Policies.Analyze)
            .WithSummary("Retrain every tenant enrolled in the use case, one child run per tenant.");
        api.MapPost("/tenants/{tenant}/use-cases/{useCase}/models/{version:int}/reproduce", Reproduce).WithName("ReproduceModelVersion")
            .WithTags("Training").RequireAuthorization(Policies.Analyze)
            .WithSummary("Retrain the version on its own lineage (dataset and rules versions, trainer, hyperparameters, seed) and check it predicts identically; registers nothing.");
        return api;
    }

    public static async Task<IResult> Retrain(string tenant, string useCase, RetrainStarter starter, ClaimsPrincipal user, CancellationToken ct) =>
        ApiResults.RunAccepted(await starter.StartAsync(tenant, useCase, "api", user.Actor(), ct));

    public static async Task<IResult> Reproduce(string tenant, string useCase, int version, RetrainStarter starter, ClaimsPrincipal user, CancellationToken ct) =>
        ApiResults.RunAccepted(await starter.StartReproduceAsync(tenant, useCase, version, "api", user.Actor(), ct));

    public static async Task<IResult> RetrainAll(string useCase, RetrainStarter starter, ClaimsPrincipal user, CancellationToken ct) =>
        ApiResults.RunAccepted(await starter.StartAllAsync(useCase, "api", user.Actor(), ct));
}
