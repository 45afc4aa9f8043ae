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
        var (data, effective, _, settings) = await TrainingInputs.LoadAsync(ctx, scope, lineage);
        ctx.Log.LogInformation("Training a {Task} model on {Rows} rows: seed {Seed}, search budget {Budget}, {Folds} folds, trainers {Trainers}",
            lineage.Task, data.RowCount, settings.Seed, settings.TimeBudget, settings.Folds,
            string.Join(", ", settings.Trainers ?? TrainerNames.For(lineage.Task)));

        var model = await Task.Run(() => ModelTrainer.Train(data, effective, lineage.Task, settings,
            (percent, message) => ctx.ReportProgressAsync(percent * 0.95, message).GetAwaiter().GetResult(), ct), ct);

        using var artifact = new MemoryStream();
        model.Save(artifact);
        artifact.Position = 0;
        await scope.Folder.WriteAsync(RunFolder.Model, artifact, ct);
        var report = model.Report;
        ctx.Log.LogInformation("Chose {Trainer} among {Candidates} candidates; test {Headline} {Value:F4} on {TestRows} rows; trained in {Duration}",
            report.Trainer, report.Candidates.Count, report.Test.Headline, report.Test.HeadlineValue, report.Split.TestRows, report.TrainingDuration);
        await ctx.ReportProgressAsync(100, $"{report.Trainer}: test {report.Test.Headline} {report.Test.HeadlineValue:F4}");
    }
}
