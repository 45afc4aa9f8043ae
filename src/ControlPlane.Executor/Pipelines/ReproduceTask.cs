using System.Globalization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using ControlPlane.Executor.Definitions;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>reproduce</c>: reads a version's lineage from the registry, trains again on the same dataset version with the same
/// rules version, trainer, hyperparameters and seed (<see cref="TrainingSettings.Hyperparameters"/>: no search), and
/// compares the prediction fingerprint and test metrics with the stored ones. The outcome is stored beside the version
/// (<see cref="ModelRegistry.SaveReproductionAsync"/>); a different fingerprint fails the task.
/// </summary>
public static class ReproduceTask
{
    public const string Name = "reproduce";

    public static async Task RunAsync(TaskContext ctx)
    {
        var scope = await RetrainScope.ForAsync(ctx);
        var ct = ctx.CancellationToken;
        var number = VersionOf(ctx);
        var registry = ctx.Services.GetRequiredService<ModelRegistry>();
        var stored = (await registry.GetAsync(scope.Tenant, scope.UseCase, number, ct)).OrThrow();
        await ctx.ReportProgressAsync(0, $"Reading the lineage of v{number}");
        var lineage = await LineageOfAsync(ctx, stored);
        var inputs = await TrainingInputs.LoadAsync(ctx, scope, lineage);
        var settings = inputs.Settings with
        {
            Seed = stored.Seed, Trainers = [stored.Summary.Trainer], Hyperparameters = stored.Hyperparameters, DefaultHyperparametersOnly = false,
            TestFraction = stored.Report.TestFraction, Threads = stored.Report.Threads, ExplainedRows = stored.Report.ExplainedRows,
            Featurization = stored.Report.Featurization,
        };
        ctx.Log.LogInformation("Reproducing v{Version}: dataset version {Dataset}, rules version {Rules}, {Trainer} with seed {Seed} and {Hyperparameters}",
            number, lineage.DatasetVersion, lineage.RulesVersion, stored.Summary.Trainer, stored.Seed,
            string.Join(", ", stored.Hyperparameters.Select(kv => $"{kv.Key}={kv.Value}")));

        var model = await Task.Run(() => ModelTrainer.Train(inputs.Data, inputs.Effective, lineage.Task, settings,
            (percent, message) => ctx.ReportProgressAsync(percent * 0.95, message).GetAwaiter().GetResult(), ct), ct);
        var report = model.Report;
        var outcome = new ReproductionOutcome(number, report.PredictionFingerprint == stored.PredictionFingerprint,
            stored.PredictionFingerprint, report.PredictionFingerprint, MetricDeltas(stored.Report.Test, report.Test),
            Clock.UtcNow(ctx.Services.GetRequiredService<TimeProvider>()), ctx.RunId);
        (await registry.SaveReproductionAsync(scope.Tenant, scope.UseCase, outcome, ct)).OrThrow("The reproduction outcome could not be stored");
        foreach (var (metric, delta) in outcome.MetricDeltas)
        {
            ctx.Log.LogInformation("Test {Metric}: new minus stored {Delta}", metric, delta.ToString("G6", CultureInfo.InvariantCulture));
        }

        if (!outcome.Identical)
        {
            throw new InvalidOperationException(
                $"v{number} was not reproduced: retraining on dataset version {lineage.DatasetVersion} with rules version {lineage.RulesVersion}, " +
                $"{stored.Summary.Trainer} and seed {stored.Seed} gave fingerprint {outcome.NewFingerprint}, the version has {outcome.StoredFingerprint}.");
        }

        ctx.Log.LogInformation("v{Version} reproduced: identical predictions (fingerprint {Fingerprint})", number, outcome.NewFingerprint);
        await ctx.ReportProgressAsync(100, $"v{number} reproduced: identical predictions");
    }

    private static int VersionOf(TaskContext ctx) =>
        ctx.Parameters.TryGetValue(ReproducePipeline.VersionParameter, out var text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new InvalidOperationException($"The run needs the parameter '{ReproducePipeline.VersionParameter}': the number of the model version to reproduce.");

    /// <summary>The version's dataset and rules versions as a retrain's lineage, so the retrain's input loading is reused.</summary>
    private static async Task<RetrainLineage> LineageOfAsync(TaskContext ctx, ModelVersionDetails stored)
    {
        var dbs = ctx.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        await using var db = await dbs.CreateDbContextAsync(ctx.CancellationToken);
        var dataset = await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == stored.DatasetVersionId, ctx.CancellationToken)
            ?? throw new InvalidOperationException($"v{stored.Summary.Number} has no dataset version to reproduce it on.");
        return new RetrainLineage(dataset.Id, dataset.Number, dataset.Sha256, dataset.SnapshotPath, dataset.Region, dataset.RowCount,
            stored.Summary.RulesVersionNumber ?? 0, stored.Summary.Task);
    }

    /// <summary>New minus stored, for every test metric both reports have.</summary>
    private static Dictionary<string, double> MetricDeltas(ModelMetrics stored, ModelMetrics now)
    {
        (string Name, double? Stored, double? Now)[] all =
        [
            (stored.Headline, stored.HeadlineValue, now.HeadlineValue), ("auc", stored.Auc, now.Auc), ("prAuc", stored.PrAuc, now.PrAuc),
            ("f1", stored.F1, now.F1), ("logLoss", stored.LogLoss, now.LogLoss), ("accuracy", stored.Accuracy, now.Accuracy),
            ("macroAccuracy", stored.MacroAccuracy, now.MacroAccuracy), ("microAccuracy", stored.MicroAccuracy, now.MicroAccuracy),
            ("rmse", stored.Rmse, now.Rmse), ("mae", stored.Mae, now.Mae), ("rSquared", stored.RSquared, now.RSquared),
        ];
        var deltas = new Dictionary<string, double>();
        foreach (var (name, a, b) in all)
        {
            if (a is { } s && b is { } n && double.IsFinite(s) && double.IsFinite(n))
            {
                deltas.TryAdd(name, n - s);
            }
        }

        return deltas;
    }
}
