using System.Text.Json;
using ControlPlane.Core.Data;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// The models a retrain's new version is compared with on its validation rows (decision 0035): the newest pooled model
/// of the use case in the tenant's region (the own-versus-pooled decision), the champion, and the most recent versions
/// with other recipes (the promotion gate's guard against a run of small losses). Own versions are recipes, fitted again
/// on the new version's training rows; pooled versions score the rows as they are, by their holdout fit.
/// </summary>
public static class RetrainRivals
{
    /// <summary>Recent own versions compared besides the champion, each with a recipe of its own.</summary>
    public const int RecentVersions = 3;

    /// <summary>Own versions looked at to find <see cref="RecentVersions"/> distinct recipes.</summary>
    private const int Lookback = 12;

    public static async Task<(IReadOnlyList<Rival> Rivals, RivalSet Set)> GatherAsync(
        IServiceProvider services, RetrainScope scope, TrainingInputs inputs, CancellationToken ct)
    {
        var dbs = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.AsNoTracking()
            .Where(e => e.Tenant!.Slug == scope.Tenant && e.UseCase!.Key == scope.UseCase).Select(e => new { e.Id, e.UseCaseId }).SingleAsync(ct);
        var pooled = await db.ModelVersions.AsNoTracking()
            .Where(v => v.Kind == ModelVersionKinds.Pooled && v.UseCaseId == enrollment.UseCaseId && v.Region == scope.Region)
            .OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        var champion = await db.ModelAliases.AsNoTracking().Where(a => a.EnrollmentId == enrollment.Id && a.Name == AliasNames.Champion)
            .Select(a => a.ModelVersion).FirstOrDefaultAsync(ct);
        var recent = await db.ModelVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollment.Id)
            .OrderByDescending(v => v.Number).Take(Lookback).ToListAsync(ct);

        var rivals = new List<Rival>();
        var cache = services.GetRequiredService<ModelCache>();
        if (pooled is not null)
        {
            rivals.Add(await PooledAsync(cache, pooled, scope, inputs, ct));
        }

        var recipes = new HashSet<string>(StringComparer.Ordinal);
        if (champion is not null && champion.Id != pooled?.Id)
        {
            rivals.Add(champion.Kind == ModelVersionKinds.Pooled
                ? await PooledAsync(cache, champion, scope, inputs, ct)
                : await RecipeAsync(services, champion, RivalKinds.Champion, scope, ct));
            recipes.Add(Recipe(champion));
        }

        var chosen = new List<Guid>();
        foreach (var version in recent)
        {
            if (chosen.Count == RecentVersions || !recipes.Add(Recipe(version)))
            {
                continue;
            }

            rivals.Add(await RecipeAsync(services, version, RivalKinds.Recent, scope, ct));
            chosen.Add(version.Id);
        }

        return (rivals, new RivalSet(pooled?.Id, pooled?.Number, champion?.Id, chosen));
    }

    private static async Task<Rival> PooledAsync(ModelCache cache, ModelVersion pooled, RetrainScope scope, TrainingInputs inputs, CancellationToken ct)
    {
        var model = await cache.ModelAsync(pooled.Id, ct);
        return PooledTrainer.Rival(model, pooled.Id.ToString(), $"pooled v{pooled.Number}", inputs.Effective, inputs.Defaults, inputs.Settings, scope.Tenant);
    }

    private static async Task<Rival> RecipeAsync(IServiceProvider services, ModelVersion version, string kind, RetrainScope scope, CancellationToken ct)
    {
        var rules = (await services.GetRequiredService<FeatureRuleService>().GetAsync(scope.Tenant, scope.UseCase, version.RulesVersionNumber ?? 0, ct)).OrThrow();
        var report = ModelReportJson.Read(version.ReportJson);
        var hyperparameters = JsonSerializer.Deserialize<Dictionary<string, string>>(version.HyperparametersJson) ?? [];
        return new RecipeRival(version.Id.ToString(), $"v{version.Number}", kind, rules.Effective, version.Trainer, hyperparameters, report.Featurization);
    }

    /// <summary>What makes two own versions the same recipe: rules version, trainer, hyperparameters.</summary>
    private static string Recipe(ModelVersion v) => $"{v.Kind}|{v.RulesVersionNumber}|{v.Trainer}|{v.HyperparametersJson}|{(v.Kind == ModelVersionKinds.Pooled ? v.Id : Guid.Empty)}";
}

/// <summary>Which versions a retrain compared its new version with (the run folder's <c>rivals.json</c>), for <c>evaluate</c> and the gate.</summary>
public sealed record RivalSet(Guid? PooledId, int? PooledNumber, Guid? ChampionId, IReadOnlyList<Guid> Recent);
