using System.Globalization;
using ControlPlane.ML;
using ControlPlane.ML.Training;

namespace ControlPlane.Web.Components.Models;

/// <summary>A metric shown in tables: where it is read from a report's test metrics and which direction is better.</summary>
public sealed record MetricDefinition(string Key, string Label, Func<ModelMetrics, double?> Read, bool HigherIsBetter);

/// <summary>Whether a version's metric is better or worse than the baseline's, respecting the metric's direction.</summary>
public enum Verdict
{
    Same,
    Better,
    Worse,
}

/// <summary>The metrics of each task type, in the order tables show them, and how two values compare.</summary>
public static class MetricCatalog
{
    private static readonly MetricDefinition[] Binary =
    [
        new("auc", "ROC AUC", m => m.Auc, true),
        new("prAuc", "PR AUC", m => m.PrAuc, true),
        new("f1", "F1", m => m.F1, true),
        new("precision", "Precision", m => m.Precision, true),
        new("recall", "Recall", m => m.Recall, true),
        new("logLoss", "Log-loss", m => m.LogLoss, false),
        new("accuracy", "Accuracy", m => m.Accuracy, true),
    ];

    private static readonly MetricDefinition[] Multiclass =
    [
        new("macroAccuracy", "Macro accuracy", m => m.MacroAccuracy, true),
        new("macroF1", "Macro F1", m => m.MacroF1, true),
        new("microAccuracy", "Micro accuracy", m => m.MicroAccuracy, true),
        new("logLoss", "Log-loss", m => m.LogLoss, false),
    ];

    private static readonly MetricDefinition[] Regression =
    [
        new("rmse", "RMSE", m => m.Rmse, false),
        new("mae", "MAE", m => m.Mae, false),
        new("rSquared", "R²", m => m.RSquared, true),
    ];

    public static IReadOnlyList<MetricDefinition> For(TaskType task) => task switch
    {
        TaskType.Binary => Binary,
        TaskType.Multiclass => Multiclass,
        _ => Regression,
    };

    /// <summary>The display name of a headline key such as "auc" or "rmse".</summary>
    public static string LabelOf(string key) =>
        Binary.Concat(Multiclass).Concat(Regression).FirstOrDefault(d => d.Key == key)?.Label ?? key;

    public static Verdict Compare(double baseline, double value, bool higherIsBetter)
    {
        // Differences below display precision are no change.
        if (Math.Abs(value - baseline) < 5e-5)
        {
            return Verdict.Same;
        }

        return (value > baseline) == higherIsBetter ? Verdict.Better : Verdict.Worse;
    }

    public static string Format(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "—";

    /// <summary>A 95 % interval as "[0.7712, 0.8301]", or nothing when there is none.</summary>
    public static string FormatInterval(MetricInterval? interval) =>
        interval is { } i ? $"[{i.Low.ToString("0.0000", CultureInfo.InvariantCulture)}, {i.High.ToString("0.0000", CultureInfo.InvariantCulture)}]" : "";

    /// <summary>The headline with its interval: "AUC 0.8123 [0.7712, 0.8301]".</summary>
    public static string HeadlineWithInterval(ModelMetrics m) =>
        m.HeadlineInterval is { } i ? $"{Headline(m)} {FormatInterval(i)}" : Headline(m);

    public static string FormatDelta(double delta) => delta.ToString("+0.0000;−0.0000;0.0000", CultureInfo.InvariantCulture);

    /// <summary>The headline metric as "AUC 0.8123".</summary>
    public static string Headline(ModelMetrics m) => $"{LabelOf(m.Headline)} {Format(m.HeadlineValue)}";
}
