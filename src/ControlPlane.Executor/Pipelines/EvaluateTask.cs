using System.Globalization;
using ControlPlane.Core.Registry;
using ControlPlane.Executor.Definitions;
using ControlPlane.ML.Training;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// <c>evaluate</c>: reads the trained artifact's report from the run folder, checks that it is complete — test metrics for the right task, a test split, explanations — and logs the metrics and the most
/// important features, so a run's log tells how good the new model is before anything is registered. Then it makes
/// the own-versus-pooled decision (<see cref="PooledDecision"/>, from the comparison <c>train</c> made on the validation
/// rows) that <c>register</c> records with the version.
/// </summary>
public static class EvaluateTask
{
    public const string Name = "evaluate";

    public static async Task RunAsync(TaskContext ctx)
    {
        var scope = await RetrainScope.ForAsync(ctx);
        var ct = ctx.CancellationToken;
        var lineage = await scope.Folder.ReadJsonAsync<RetrainLineage>(RunFolder.Lineage, FeaturizeTask.Name, ct);
        await ctx.ReportProgressAsync(0, "Reading the trained model's report");
        ModelReport report;
        await using (var artifact = await scope.Folder.OpenAsync(RunFolder.Model, TrainTask.Name, ct))
        {
            report = TrainedModel.ReadReport(artifact);
        }

        var problems = Problems(report, lineage).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The trained model's report is incomplete: {string.Join(" ", problems)}");
        }

        foreach (var (metric, value) in Metrics(report.Test))
        {
            var interval = report.Test.Intervals.GetValueOrDefault(MetricName(metric));
            ctx.Log.LogInformation("Test {Metric}: {Value}{Interval}", metric, value.ToString("F4", CultureInfo.InvariantCulture),
                interval is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (95 % interval {interval.Low:F4} to {interval.High:F4})"));
        }

        ctx.Log.LogInformation("Split: {Train} training, {Validation} validation, {Test} test rows{ByTime}", report.Split.TrainRows, report.Split.ValidationRows, report.Split.TestRows,
            report.Split.ByTime ? $", by time: trained until {report.Split.TrainUntil:u}, validated from {report.Split.ValidationFrom:u}, tested from {report.Split.TestFrom:u}" : ", drawn at random");
        foreach (var feature in report.Importance.Take(5))
        {
            ctx.Log.LogInformation("Feature importance {Feature}: {Importance}", feature.Feature, feature.Importance.ToString("F4", CultureInfo.InvariantCulture));
        }

        await ctx.ReportProgressAsync(80, "Own or pooled model");
        var rivals = await scope.Folder.ReadJsonAsync<RivalSet>(RunFolder.Rivals, TrainTask.Name, ct);
        if (rivals.PooledId is { } pooledId)
        {
            var key = pooledId.ToString();
            var decision = PooledDecision.Decide(report, key);
            var pooledValue = report.Comparisons.FirstOrDefault(c => c.A == ModelComparison.Own && c.B == key)?.Difference.B;
            var serving = new ServingDecision(decision.UsePooled ? ServingChoices.Pooled : ServingChoices.Own, decision.Reason,
                rivals.PooledNumber!.Value, pooledValue is { } v && double.IsFinite(v) ? v : null);
            ctx.Log.LogInformation("Own or pooled: {Decision}", decision.Reason);
            await scope.Folder.WriteJsonAsync(RunFolder.Serving, serving, ct);
        }
        else
        {
            ctx.Log.LogInformation("Own or pooled: there is no pooled {UseCase} model in region {Region} yet; the own model serves", scope.UseCase, scope.Region);
        }

        await ctx.ReportProgressAsync(100, $"Test {report.Test.Headline} {report.Test.HeadlineValue.ToString("F4", CultureInfo.InvariantCulture)} " +
                                           $"on {report.Split.TestRows:N0} rows; {report.Explanations.Count} rows explained");
    }

    private static IEnumerable<string> Problems(ModelReport report, RetrainLineage lineage)
    {
        if (report.Task != lineage.Task) yield return $"it is a {report.Task} model, the use case is {lineage.Task}.";
        if (report.Split.TestRows <= 0) yield return "it has no test rows.";
        if (double.IsInfinity(report.Test.HeadlineValue)) yield return $"its test {report.Test.Headline} is {report.Test.HeadlineValue}.";
        if (string.IsNullOrEmpty(report.PredictionFingerprint)) yield return "it has no prediction fingerprint.";
    }

    private static string MetricName(string label) => label switch
    {
        "AUC" => RowMetrics.Auc, "F1" => RowMetrics.F1, "accuracy" => RowMetrics.Accuracy, "macro accuracy" => RowMetrics.MacroAccuracy,
        "micro accuracy" => RowMetrics.MicroAccuracy, "macro F1" => RowMetrics.MacroF1, "RMSE" => RowMetrics.Rmse, "MAE" => RowMetrics.Mae, "R²" => RowMetrics.RSquared,
        _ => label,
    };

    private static IEnumerable<(string Metric, double Value)> Metrics(ModelMetrics m)
    {
        (string, double?)[] all =
        [
            ("AUC", m.Auc), ("PR AUC", m.PrAuc), ("F1", m.F1), ("log-loss", m.LogLoss), ("accuracy", m.Accuracy),
            ("macro accuracy", m.MacroAccuracy), ("micro accuracy", m.MicroAccuracy), ("macro F1", m.MacroF1), ("RMSE", m.Rmse), ("MAE", m.Mae), ("R²", m.RSquared),
        ];
        return all.Where(p => p.Item2 is not null).Select(p => (p.Item1, p.Item2!.Value));
    }
}
