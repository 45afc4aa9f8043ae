using System.Globalization;

namespace ControlPlane.ML.Training;

/// <summary>Labels that cannot give a model: a single class in training or test, a constant regression label.</summary>
internal static class LabelCheck
{
    /// <exception cref="TrainingException">Naming the split and what its labels are.</exception>
    /// <param name="classes">Multiclass: the class names in key order.</param>
    public static void Run(FeatureMatrix train, FeatureMatrix test, TaskType task, IReadOnlyList<string>? classes)
    {
        if (test.Count == 0)
        {
            throw new TrainingException("No test row has a class seen in training; the model cannot be evaluated.");
        }

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
        Classes(test, "test", task, classes);
    }

    private static void Classes(FeatureMatrix rows, string part, TaskType task, IReadOnlyList<string>? classes)
    {
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
            $"All {TrainingSplit.Count(rows.Count)} {part} rows have the label {value}; a {(task == TaskType.Binary ? "binary" : "multiclass")} model needs at least two classes in both the training and the test rows.");
    }
}
