using ControlPlane.ML.Training;

namespace ControlPlane.ML.Monitoring;

/// <summary>A metric of a window of predictions, named as in the model's test metrics (<see cref="ModelMetrics"/>).</summary>
public sealed record MetricValue(string Name, double Value);

/// <summary>
/// The metrics decay is measured with, named and defined as in the model's test metrics so a window compares with the
/// test split: binary accuracy (the stored predicted label against the actual one) and ROC AUC (from the probability,
/// ties count half); multiclass micro accuracy and macro accuracy (mean recall over the classes present among the
/// actual labels); regression RMSE and MAE.
/// </summary>
public static class PerformanceMetrics
{
    public const string Accuracy = "accuracy";
    public const string Auc = "auc";
    public const string MicroAccuracy = "microAccuracy";
    public const string MacroAccuracy = "macroAccuracy";
    public const string Rmse = "rmse";
    public const string Mae = "mae";

    /// <summary>
    /// The metric a window's status and an enrollment's decay are judged on: binary accuracy (it needs no second class in
    /// the window, and is what the label-free estimate is best at), multiclass macro accuracy and regression RMSE (the
    /// models' own headline metrics).
    /// </summary>
    public static (string Name, bool HigherIsBetter) Headline(TaskType task) => task switch
    {
        TaskType.Binary => (Accuracy, true),
        TaskType.Multiclass => (MacroAccuracy, true),
        _ => (Rmse, false),
    };

    /// <summary>Every metric measured for a task type, the headline first.</summary>
    public static IReadOnlyList<string> Measured(TaskType task) => task switch
    {
        TaskType.Binary => [Accuracy, Auc],
        TaskType.Multiclass => [MacroAccuracy, MicroAccuracy],
        _ => [Rmse, Mae],
    };

    public static bool HigherIsBetter(string metric) => metric is not (Rmse or Mae);

    /// <summary>The model's test-split value of a metric, or null when its report does not hold it.</summary>
    public static double? Expected(ModelMetrics test, string metric) => metric switch
    {
        Accuracy => test.Accuracy,
        Auc => test.Auc,
        MicroAccuracy => test.MicroAccuracy,
        MacroAccuracy => test.MacroAccuracy,
        Rmse => test.Rmse,
        Mae => test.Mae,
        _ => null,
    };

    /// <summary>Binary: accuracy of the predicted labels and ROC AUC of the probabilities (NaN when only one class is present).</summary>
    public static IReadOnlyList<MetricValue> Binary(IReadOnlyList<double> probabilities, IReadOnlyList<bool> predicted, IReadOnlyList<bool> actual)
    {
        Same(probabilities.Count, predicted.Count, actual.Count);
        var n = actual.Count;
        var correct = 0;
        for (var i = 0; i < n; i++)
        {
            if (predicted[i] == actual[i]) correct++;
        }

        var labels = actual.Select(a => a ? 1.0 : 0.0).ToArray();
        return
        [
            new(Accuracy, n == 0 ? double.NaN : (double)correct / n),
            new(Auc, ModelEvaluator.Auc(labels, probabilities.ToArray())),
        ];
    }

    /// <summary>Multiclass: macro accuracy (mean recall over the actual classes present) and micro accuracy.</summary>
    public static IReadOnlyList<MetricValue> Multiclass(IReadOnlyList<string> predicted, IReadOnlyList<string> actual)
    {
        Same(predicted.Count, actual.Count, actual.Count);
        var byClass = new Dictionary<string, (int Total, int Correct)>(StringComparer.Ordinal);
        var correct = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var hit = string.Equals(predicted[i], actual[i], StringComparison.Ordinal);
            if (hit) correct++;
            var (total, right) = byClass.GetValueOrDefault(actual[i]);
            byClass[actual[i]] = (total + 1, right + (hit ? 1 : 0));
        }

        return
        [
            new(MacroAccuracy, byClass.Count == 0 ? double.NaN : byClass.Values.Average(c => (double)c.Correct / c.Total)),
            new(MicroAccuracy, actual.Count == 0 ? double.NaN : (double)correct / actual.Count),
        ];
    }

    /// <summary>Regression: root mean squared error and mean absolute error.</summary>
    public static IReadOnlyList<MetricValue> Regression(IReadOnlyList<double> predicted, IReadOnlyList<double> actual)
    {
        Same(predicted.Count, actual.Count, actual.Count);
        double squared = 0, absolute = 0;
        for (var i = 0; i < actual.Count; i++)
        {
            var error = predicted[i] - actual[i];
            squared += error * error;
            absolute += Math.Abs(error);
        }

        var n = actual.Count;
        return [new(Rmse, n == 0 ? double.NaN : Math.Sqrt(squared / n)), new(Mae, n == 0 ? double.NaN : absolute / n)];
    }

    private static void Same(int a, int b, int c)
    {
        if (a != b || b != c) throw new ArgumentException($"The inputs must be of one length; they were {a}, {b} and {c}.");
    }
}
