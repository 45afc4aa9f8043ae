using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// The own-versus-pooled decision of one retrain: the newest pooled model of the use case in the tenant's region is
/// evaluated on the tenant's own test split and compared with the new own model (<see cref="PooledDecision"/>); a
/// tenant with fewer labelled rows than <c>ControlPlane:Training:MinRowsForOwnModel</c> is served by the pooled model.
/// No pooled model in the region yet: no decision, the own model serves.
/// </summary>
public static class PooledServing
{
    /// <returns>The decision for the registry, or null with the reason there is none.</returns>
    public static async Task<(ServingDecision? Decision, string Note)> DecideAsync(
        IServiceProvider services, RetrainScope scope, TrainingInputs inputs, ModelReport own, CancellationToken ct)
    {
        var pooled = await LatestPooledAsync(services, scope.UseCase, scope.Region, ct);
        if (pooled is null)
        {
            return (null, $"there is no pooled {scope.UseCase} model in region {scope.Region} yet");
        }

        // Loaded once per node and version (the model cache serving uses): every tenant of a region is compared with it.
        var model = await services.GetRequiredService<ModelCache>().ModelAsync(pooled.Id, ct);
        PooledEvaluation? evaluation = null;
        string? whyNot = null;
        try
        {
            var canonical = CanonicalTable.From(inputs.Data, inputs.Effective, inputs.Defaults, inputs.Settings);
            evaluation = PooledTrainer.EvaluateOn(model, canonical, inputs.Defaults, inputs.Settings);
        }
        catch (Exception ex) when (ex is TrainingException or ArgumentException)
        {
            whyNot = ex.Message;
        }

        var minimum = services.GetRequiredService<IOptions<ControlPlaneOptions>>().Value.Training.MinRowsForOwnModel;
        var decision = PooledDecision.Decide(own.Split.TrainRows + own.Split.TestRows, minimum, own, evaluation);
        var serving = new ServingDecision(decision.UsePooled ? ServingChoices.Pooled : ServingChoices.Own, decision.Reason,
            pooled.Number, evaluation?.Metrics.HeadlineValue);
        return (serving, whyNot is null ? $"compared with pooled v{pooled.Number}" : $"pooled v{pooled.Number} could not be evaluated here: {whyNot}");
    }

    private static async Task<ModelVersion?> LatestPooledAsync(IServiceProvider services, string useCase, string region, CancellationToken ct)
    {
        var dbs = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking()
            .Where(v => v.Kind == ModelVersionKinds.Pooled && v.UseCase!.Key == useCase && v.Region == region)
            .OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
    }
}
