using System.Globalization;

namespace ControlPlane.ML.Training;

/// <summary>Labels that cannot give a model: a single class in training, a constant regression label, no row left to judge on.</summary>
internal static class LabelCheck
{
    /// <summary>The training rows must hold two classes (or, for a regression, a label that varies).</summary>
    /// <exception cref="TrainingException">Naming what the labels are.</exception>
    /// <param name="classes">Multiclass: the class names in key order.</param>
    public static void Training(FeatureMatrix train, TaskType task, IReadOnlyList<string>? classes)
    {
        if (task == TaskType.Regression)
        {
            if (train.Labels.Distinct().Count() < 2)
            {
                throw new TrainingException(
                    $"The label is {train.Labels[0].ToString(CultureInfo.InvariantCulture)} in all {TrainingSplit.Count(train.Count)} training rows; a regression needs a label that varies.");
            }

            return;
        }

        Classes(train, "training", task, classes);
    }

    /// <summary>A part scored to judge or report the model must keep rows.</summary>
    public static void Scored(FeatureMatrix rows, string part)
    {
        if (rows.Count == 0)
        {
            throw new TrainingException($"No {part} row has a class seen in training; the model cannot be judged on them.");
        }
    }

    /// <summary>A classification part must hold two classes.</summary>
    private static void Classes(FeatureMatrix rows, string part, TaskType task, IReadOnlyList<string>? classes)
    {
        if (task == TaskType.Regression)
        {
            return;
        }

        var distinct = rows.Labels.Distinct().ToArray();
        if (distinct.Length >= 2)
        {
            return;
        }

        var key = (int)distinct[0];
        var value = task == TaskType.Binary
            ? (distinct[0] > 0.5f ? "true" : "false")
            : $"'{(classes is not null && key >= 1 && key <= classes.Count ? classes[key - 1] : key.ToString(CultureInfo.InvariantCulture))}'";
        throw new TrainingException(
            $"All {TrainingSplit.Count(rows.Count)} {part} rows have the label {value}; a {(task == TaskType.Binary ? "binary" : "multiclass")} model needs at least two classes among its training rows.");
    }
}
