using ControlPlane.ML;
using ControlPlane.ML.Training;

namespace ControlPlane.ComponentTests.Models;

/// <summary>Hand-built model reports with chosen metrics, as the trainer would store them with a version.</summary>
internal static class Reports
{
    public static ModelReport Binary(double auc, double logLoss = 0.5, string trainer = TrainerNames.FastTree, int leaves = 20) => new()
    {
        Task = TaskType.Binary,
        Trainer = trainer,
        Hyperparameters = new Dictionary<string, string> { ["leaves"] = leaves.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        Seed = 42,
        Candidates =
        [
            new CandidateScore(trainer, new Dictionary<string, string> { ["leaves"] = leaves.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "auc", auc - 0.01, TimeSpan.FromSeconds(2)),
            new CandidateScore(TrainerNames.LogisticRegression, new Dictionary<string, string>(), "auc", auc - 0.05, TimeSpan.FromSeconds(1)),
        ],
        Split = new SplitSummary(true, 400, 100, new DateTime(2026, 6, 1), new DateTime(2026, 6, 2)),
        Test = new ModelMetrics
        {
            Headline = "auc",
            HeadlineValue = auc,
            HigherIsBetter = true,
            Auc = auc,
            PrAuc = auc - 0.1,
            F1 = 0.7,
            LogLoss = logLoss,
            Accuracy = 0.8,
            Roc = [new(0, 0), new(0.1, 0.5), new(0.3, auc), new(1, 1)],
            PrecisionRecall = [new(0, 1), new(0.5, 0.8), new(1, 0.4)],
        },
        Importance = [new FeatureImportance("tenure", 0.12), new FeatureImportance("plan", 0.05)],
        Explanations =
        [
            new RowExplanation("acct-1", "0.83", [new FeatureContribution("tenure", 0.4), new FeatureContribution("plan", -0.1)]),
        ],
        TrainingDuration = TimeSpan.FromSeconds(3),
        PredictionFingerprint = $"fp-auc-{auc}",
    };

    public static ModelReport Regression(double rmse) => new()
    {
        Task = TaskType.Regression,
        Trainer = TrainerNames.Sdca,
        Seed = 42,
        Split = new SplitSummary(false, 400, 100, null, null),
        Test = new ModelMetrics
        {
            Headline = "rmse",
            HeadlineValue = rmse,
            HigherIsBetter = false,
            Rmse = rmse,
            Mae = rmse * 0.8,
            RSquared = 0.6,
            Residuals = [new(1, 1.2), new(2, 1.8), new(3, 3.3)],
        },
        Importance = [new FeatureImportance("distance", 1.5)],
        PredictionFingerprint = $"fp-rmse-{rmse}",
    };

    public static ModelReport Multiclass() => new()
    {
        Task = TaskType.Multiclass,
        Trainer = TrainerNames.MaximumEntropy,
        Seed = 42,
        Split = new SplitSummary(false, 400, 100, null, null),
        Test = new ModelMetrics
        {
            Headline = "macroAccuracy",
            HeadlineValue = 0.7,
            HigherIsBetter = true,
            MacroAccuracy = 0.7,
            MicroAccuracy = 0.72,
            Classes = ["low", "high"],
            ConfusionMatrix = [[40, 10], [18, 32]],
        },
        PredictionFingerprint = "fp-multi",
    };
}
