using ControlPlane.Executor.Definitions;
using ControlPlane.ML.Training;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>train</c>: trains the enrollment's model on the dataset and rules versions <c>featurize</c> pinned, with the
/// settings of <c>ControlPlane:Training</c>, and leaves the artifact in the run folder. Data that cannot give a model
/// (too few rows, a single class) fails the task with the trainer's message; nothing is registered.
/// </summary>
public static class TrainTask
{
    public const string Name = "train";

    public static async Task RunAsync(TaskContext ctx)
    {
        var scope = await RetrainScope.ForAsync(ctx);
        var ct = ctx.CancellationToken;
        var lineage = await scope.Folder.ReadJsonAsync<RetrainLineage>(RunFolder.Lineage, FeaturizeTask.Name, ct);
        await ctx.ReportProgressAsync(0, $"Reading dataset version {lineage.DatasetVersion}");
        var inputs = await TrainingInputs.LoadAsync(ctx, scope, lineage);
        var (data, effective, _, settings) = inputs;
        var (rivals, set) = await RetrainRivals.GatherAsync(ctx.Services, scope, inputs, ct);
        await scope.Folder.WriteJsonAsync(RunFolder.Rivals, set, ct);
        ctx.Log.LogInformation("Training a {Task} model on {Rows} rows: seed {Seed}, search budget {Budget}, {Folds} folds, trainers {Trainers}; compared on validation with {Rivals}",
            lineage.Task, data.RowCount, settings.Seed, settings.TimeBudget, settings.Folds,
            string.Join(", ", settings.Trainers ?? TrainerNames.For(lineage.Task)), rivals.Count == 0 ? "no other model" : string.Join(", ", rivals.Select(r => $"{r.Label} ({r.Kind})")));

        var model = await Task.Run(() => ModelTrainer.Train(data, effective, lineage.Task, settings,
            (percent, message) => ctx.ReportProgressAsync(percent * 0.95, message).GetAwaiter().GetResult(), ct, rivals), ct);

        using var artifact = new MemoryStream();
        model.Save(artifact);
        artifact.Position = 0;
        await scope.Folder.WriteAsync(RunFolder.Model, artifact, ct);
        var report = model.Report;
        ctx.Log.LogInformation("Chose {Trainer} among {Candidates} candidates; validation {Headline} {Validation:F4} on {ValidationRows} rows, test {Test:F4} on {TestRows} rows; served model fitted on {Rows} rows; trained in {Duration}",
            report.Trainer, report.Candidates.Count, report.Test.Headline, report.Validation?.HeadlineValue, report.Split.ValidationRows,
            report.Test.HeadlineValue, report.Split.TestRows, report.Split.LabelledRows, report.TrainingDuration);
        foreach (var comparison in report.Comparisons.Where(c => c.A == ModelComparison.Own))
        {
            ctx.Log.LogInformation("On validation against {Rival}: {Verdict}, {Figures}{Note}", comparison.BLabel, comparison.Difference.Verdict,
                PooledDecision.Figures(comparison), comparison.Note is null ? "" : $" ({comparison.Note})");
        }

        if (report.Leakage is { Suspected: true } leak)
        {
            foreach (var finding in leak.Findings)
            {
                ctx.Log.LogWarning("Suspected leak ({Check}): {Message}", finding.Check, finding.Message);
            }
        }

        await ctx.ReportProgressAsync(100, $"{report.Trainer}: validation {report.Test.Headline} {report.Validation?.HeadlineValue:F4}, test {report.Test.HeadlineValue:F4}" +
                                           (report.Leakage is { Suspected: true } ? " — suspected leak" : ""));
    }
}
