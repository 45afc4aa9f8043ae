using ControlPlane.Core.DemoData;
using ControlPlane.ML;
using ControlPlane.ML.Training;
using Xunit.Abstractions;

namespace ControlPlane.UnitTests.Training;

/// <summary>
/// Each task type trained on demo data (a generator with known signal) reaches a floor on its held-out test split, set
/// a margin below what was measured (churn AUC ≈ 0.74, ticket routing macro accuracy ≈ 0.95, resolution time R² ≈ 0.70),
/// and the report carries what the comparison UI draws.
/// </summary>
public sealed class ModelTrainerQualityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Binary_search_picks_a_candidate_and_reaches_an_auc_floor()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk);
        var model = demo.Train(DemoTraining.Quick with { TimeBudget = TimeSpan.FromSeconds(20) });
        var report = model.Report;
        var m = report.Test;
        output.WriteLine($"{report.Trainer} auc {m.Auc} prauc {m.PrAuc} f1 {m.F1} logloss {m.LogLoss} in {report.TrainingDuration}");

        Assert.True(m.Auc >= 0.68, $"AUC {m.Auc}");
        Assert.Equal(("auc", true), (m.Headline, m.HigherIsBetter));
        Assert.Equal(m.Auc, m.HeadlineValue);
        Assert.All([m.PrAuc, m.F1, m.LogLoss, m.Accuracy], v => Assert.True(v is >= 0 and < double.PositiveInfinity));

        // Every trainer's first setting is tried before any second setting; the chosen one is the first within one
        // standard error of the best (the one-standard-error rule).
        Assert.Equal(TrainerNames.For(TaskType.Binary), report.Candidates.Take(3).Select(c => c.Trainer));
        var best = report.Candidates.MaxBy(c => c.Score)!;
        var chosen = report.Candidates.First(c => c.Score >= best.Score - best.StandardError);
        Assert.Equal(chosen.Trainer, report.Trainer);
        Assert.Equal(chosen.Hyperparameters.OrderBy(h => h.Key), report.Hyperparameters.OrderBy(h => h.Key));
        Assert.All(report.Candidates, c => Assert.True(c.StandardError > 0, $"{c.Trainer}: standard error {c.StandardError}"));

        Assert.InRange(m.Roc!.Count, 3, ModelEvaluator.MaxCurvePoints);
        Assert.Equal(new CurvePoint(0, 0), m.Roc[0]);
        Assert.Equal(new CurvePoint(1, 1), m.Roc[^1]);
        Assert.InRange(m.PrecisionRecall!.Count, 2, ModelEvaluator.MaxCurvePoints);
        Assert.Equal(1, m.PrecisionRecall[^1].X);

        // Every compared number carries its 95 % interval; choices were made on validation, the test is only reported.
        var v = report.Validation!;
        Assert.Equal(report.Split.ValidationRows, v.Rows);
        Assert.Equal(report.Split.TestRows, m.Rows);
        foreach (var metrics in new[] { v, m })
        {
            var auc = metrics.Intervals[RowMetrics.Auc];
            Assert.InRange(metrics.Auc!.Value, auc.Low, auc.High);
            Assert.True(auc.High - auc.Low is > 0.01 and < 0.3, $"interval {auc}");
            Assert.Contains(RowMetrics.F1, metrics.Intervals.Keys);
        }

        Assert.InRange(report.Threshold!.Value, 0.01, 0.99);
        Assert.Equal(10, m.Reliability!.Count);
        Assert.Equal(m.Rows, m.Reliability.Sum(b => b.Rows));
        Assert.True(m.Reliability.Zip(m.Reliability.Skip(1)).All(p => p.Second.MeanPredicted >= p.First.MeanPredicted));

        // The served model was fitted on every labelled row: on the test rows it is at least as good as the tested fit.
        var testSplit = TrainingSplitTests.Split(demo, DemoTraining.Quick).Test;
        var served = model.Evaluate(testSplit);
        Assert.True(served.Auc >= m.Auc - 0.02, $"served {served.Auc}, tested {m.Auc}");
        // Rows without a label are left out of an evaluation, as of training (a missing binary label is not "false").
        var withBlanks = RawTableRows.Concat([testSplit, TrainingSplitTests.Blanked(testSplit, demo.LabelColumn)]);
        Assert.Equal(served.Auc, model.Evaluate(withBlanks).Auc);
        Assert.Equal(demo.Effective.Features.Count, report.Importance.Count);
        Assert.True(report.Importance[0].Importance > 0.01, $"top importance {report.Importance[0]}");
        Assert.Equal(DemoTraining.Quick.ExplainedRows, report.Explanations.Count);
        Assert.All(report.Explanations, e =>
        {
            Assert.NotNull(e.EntityKey);
            Assert.Equal(e.Contributions.OrderByDescending(c => Math.Abs(c.Value)).Select(c => c.Feature), e.Contributions.Select(c => c.Feature));
        });
    }

    [Fact]
    public async Task Multiclass_reaches_a_macro_accuracy_floor_with_a_confusion_matrix()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.TicketRouting, maxRows: 1500);
        var model = demo.Train(DemoTraining.Quick with { Trainers = [TrainerNames.MaximumEntropy], DefaultHyperparametersOnly = true });
        var m = model.Report.Test;
        output.WriteLine($"macro {m.MacroAccuracy} micro {m.MicroAccuracy} in {model.Report.TrainingDuration}");

        Assert.Equal("macroAccuracy", m.Headline);
        Assert.True(m.MacroAccuracy >= 0.7, $"macro accuracy {m.MacroAccuracy} with {m.Classes!.Count} classes");
        Assert.Equal(demo.Dataset.LabelClasses.Select(c => c.ToLowerInvariant()).Order(StringComparer.Ordinal), m.Classes!.Order(StringComparer.Ordinal));
        Assert.Equal(m.Classes.Count, m.ConfusionMatrix!.Count);
        Assert.All(m.ConfusionMatrix, row => Assert.Equal(m.Classes.Count, row.Count));
        Assert.Equal(model.Report.Split.TestRows, m.ConfusionMatrix.Sum(r => r.Sum()));
        Assert.All(model.Report.Explanations, e => Assert.Contains(e.Score, m.Classes));

        // What people compare: macro F1 (also as f1), micro accuracy (also as accuracy), and each class's figures.
        Assert.InRange(m.MacroF1!.Value, 0.5, 1);
        Assert.Equal(m.MacroF1, m.F1);
        Assert.Equal(m.MicroAccuracy, m.Accuracy);
        Assert.Equal(m.Classes, m.PerClass!.Select(c => c.Class));
        Assert.Equal(m.ConfusionMatrix.Select(r => (int)r.Sum()), m.PerClass!.Select(c => c.Support));
        Assert.Equal(m.PerClass!.Where(c => c.Support > 0).Average(c => c.F1), m.MacroF1!.Value, 9);
        var macro = m.Intervals[RowMetrics.MacroAccuracy];
        Assert.InRange(m.MacroAccuracy!.Value, macro.Low, macro.High);

        // The served chain (raw rows → rules fitted on every row → trainer) scores the test split with the same classes.
        var again = model.Evaluate(TrainingSplitTests.Split(demo, DemoTraining.Quick).Test);
        Assert.Equal(m.Classes, again.Classes);
        Assert.True(again.MacroAccuracy >= m.MacroAccuracy - 0.05, $"served {again.MacroAccuracy}, tested {m.MacroAccuracy}");
    }

    [Fact]
    public async Task Regression_reaches_an_r_squared_floor_with_residuals()
    {
        var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ResolutionTime);
        var progress = new List<(double Percent, string What)>();
        // A budget no busy machine runs out of: the test asserts both trainers were cross-validated (with 2 s, a loaded CI
        // run spent it all on LightGBM's first setting).
        var model = ModelTrainer.Train(demo.Table, demo.Effective, demo.Task,
            DemoTraining.Quick with { Trainers = [TrainerNames.LightGbm, TrainerNames.Sdca], TimeBudget = TimeSpan.FromMinutes(5) },
            (percent, what) => progress.Add((percent, what)));
        var m = model.Report.Test;
        Assert.True(progress.Zip(progress.Skip(1)).All(p => p.Second.Percent >= p.First.Percent), string.Join(" | ", progress));
        Assert.Equal(100, progress[^1].Percent);
        Assert.Contains(progress, p => p.What.StartsWith("Cross-validating sdca", StringComparison.Ordinal));
        output.WriteLine($"{model.Report.Trainer} rmse {m.Rmse} mae {m.Mae} r2 {m.RSquared}");

        Assert.Equal(("rmse", false), (m.Headline, m.HigherIsBetter));
        Assert.True(m.RSquared >= 0.5, $"R² {m.RSquared}");
        Assert.True(m.Mae <= m.Rmse);
        Assert.InRange(m.Residuals!.Count, 100, ModelEvaluator.MaxResiduals);
        var best = report(model).Candidates.MinBy(c => c.Score)!;
        var chosen = report(model).Candidates.First(c => c.Score <= best.Score + best.StandardError);
        Assert.Equal(chosen.Trainer, model.Report.Trainer);

        static ModelReport report(TrainedModel model) => model.Report;
    }
}
