using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Storage;
using ControlPlane.Executor.Pipelines;
using ControlPlane.ML;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// A lead-scoring tenant with one large dataset version (generated and ingested as the demo seeder and
/// <c>data-refresh</c> do) and a FastTree champion trained with its demo rules on a sample of it.
/// </summary>
/// <param name="Data">The version's snapshot, lined up with what the champion reads.</param>
internal sealed record BatchScoringTenant(string Slug, string UseCase, Guid ChampionId, TrainedModel Model, RawTable Data, int TrainingRows, DateTime?[] EventTimes)
{
    public static async Task<BatchScoringTenant> SeedAsync(IServiceProvider services, int rows, int trainingRows, CancellationToken ct)
    {
        const string useCase = DemoUseCaseKeys.LeadScoring;
        var tenant = (await TrainableTenantSeeder.SeedAsync(services, 1, useCase, rows, ct)).Single();
        var dbs = services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        string snapshot;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            snapshot = await db.DatasetVersions.Where(v => v.Enrollment!.Tenant!.Slug == tenant.Slug && v.Number == 1)
                .Select(v => v.SnapshotPath).SingleAsync(ct);
        }

        var data = await SnapshotReader.ReadAsync(services.GetRequiredService<RegionCatalog>().StoreFor(tenant.Region), snapshot, maxRows: null, ct);
        var rules = (await services.GetRequiredService<FeatureRuleService>().GetAsync(tenant.Slug, useCase, ct: ct)).OrThrow();

        // Every n-th row: a sample spread over the whole event-time range, as a retrain on a smaller extract would see.
        var stride = Math.Max(1, data.RowCount / trainingRows);
        var sample = RawTableRows.Select(data, Enumerable.Range(0, data.RowCount / stride).Select(i => i * stride).ToArray());
        var model = ModelTrainer.Train(sample, rules.Effective, TaskType.Binary, new TrainingSettings
        {
            Trainers = [TrainerNames.FastTree], DefaultHyperparametersOnly = true, ExplainedRows = 5,
        }, ct: ct);

        using var artifact = new MemoryStream();
        model.Save(artifact);
        artifact.Position = 0;
        var registry = services.GetRequiredService<ModelRegistry>();
        var version = (await registry.RegisterAsync(new ModelRegistration(tenant.Slug, useCase, 1, rules.Number, model.Report, "bench"), artifact, ct))
            .OrThrow("The registry refused the model");
        (await registry.PromoteAsync(tenant.Slug, useCase, version.Number, AliasNames.Champion, "bench", "batch-scoring benchmark", ct)).OrThrow();

        // The model as batch scoring gets it: from the cache, loaded from the stored artifact.
        var champion = await services.GetRequiredService<ModelCache>().ModelAsync(version.Id, ct);
        var aligned = BatchScorer.Align(data, champion, out var error) ?? throw new InvalidOperationException(error);
        var times = (DateTime?[])data.Columns.Single(c => c.Name == rules.Effective.EventTime).Values;
        return new BatchScoringTenant(tenant.Slug, useCase, version.Id, champion, aligned, sample.RowCount, times);
    }
}
