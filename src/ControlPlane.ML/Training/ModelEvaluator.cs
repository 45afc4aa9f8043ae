using System.Security.Cryptography;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// Metrics of scored rows (a view with <c>Label</c> and the trainer's <c>Score</c>, <c>Probability</c>,
/// <c>PredictedLabel</c>) by ML.NET's evaluators, plus the curves and samples the comparison UI draws and the
/// fingerprint of the predictions.
/// </summary>
public static class ModelEvaluator
{
    public const int MaxCurvePoints = 200;
    public const int MaxResiduals = 500;

    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>The headline metric's name for a task type, and whether larger is better.</summary>
    public static (string Name, bool HigherIsBetter) Headline(TaskType task) => task switch
    {
        TaskType.Binary => ("auc", true),
        TaskType.Multiclass => ("macroAccuracy", true),
        _ => ("rmse", false),
    };

    /// <summary>
    /// Only the headline metric, computed here from the scored rows read on the calling thread: the search and
    /// permutation importance ask for it dozens of times per training and need nothing else. Binary: ROC AUC from
    /// <c>Score</c> (ties count half); multiclass: macro accuracy (mean recall over the classes present; rows without a
    /// label key left out); regression: RMSE — as ML.NET's evaluators define them.
    /// </summary>
    public static double HeadlineValue(IDataView scored, TaskType task)
    {
        switch (task)
        {
            case TaskType.Binary:
                var (labels, scores) = ReadPairs(scored, Score);
                return Auc(labels, scores);
            case TaskType.Multiclass:
                var label = scored.Schema[RuleCompiler.LabelColumn];
                var classes = (int)((KeyDataViewType)label.Type).Count;
                var counts = Confusion(scored, classes);
                var recalls = counts.Select((row, k) => (Total: row.Sum(), Correct: row[k])).Where(c => c.Total > 0)
                    .Select(c => (double)c.Correct / c.Total).ToArray();
                return recalls.Length == 0 ? double.NaN : recalls.Average();
            default:
                var (actual, predicted) = ReadPairs(scored, Score);
                return actual.Length == 0 ? double.NaN : Math.Sqrt(actual.Select((a, i) => (a - predicted[i]) * (a - predicted[i])).Average());
        }
    }

    /// <summary>The probability that a random positive scores above a random negative (Mann–Whitney U / (positives × negatives)).</summary>
    public static double Auc(double[] labels, double[] scores)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1; // tied scores share their mean rank
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]] > 0.5)
                {
                    rankSum += rank;
                    positives++;
                }
            }

            start = end + 1;
        }

        var negatives = scores.Length - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <param name="classes">Multiclass: the class names in key order.</param>
    /// <param name="rows">The same rows as read by <see cref="ScoredRows.Read"/>, when the caller has them.</param>
    /// <param name="threshold">Binary: the probability from which a row is predicted positive (F1, precision, recall, accuracy); 0.5 when null.</param>
    /// <param name="seed">Seeds the bootstrap of the intervals.</param>
    public static ModelMetrics Evaluate(MLContext ml, IDataView scored, TaskType task, IReadOnlyList<string>? classes = null,
        ScoredRows? rows = null, double? threshold = null, int seed = 0)
    {
        var (headline, higher) = Headline(task);
        rows ??= ScoredRows.Read(scored, task);
        var cut = threshold ?? 0.5;
        var intervals = Bootstrap.Intervals(rows, RowMetrics.WithIntervals(task), seed, cut);
        switch (task)
        {
            case TaskType.Binary:
                var auc = RowMetrics.Value(RowMetrics.Auc, rows, default);
                var measurable = !double.IsNaN(auc);
                var b = measurable ? ml.BinaryClassification.Evaluate(scored) : null;
                return new ModelMetrics
                {
                    Headline = headline, HeadlineValue = b?.AreaUnderRocCurve ?? double.NaN, HigherIsBetter = higher, Rows = rows.Count, Intervals = intervals,
                    Auc = b?.AreaUnderRocCurve ?? double.NaN, PrAuc = b?.AreaUnderPrecisionRecallCurve, LogLoss = RowMetrics.Value(RowMetrics.LogLoss, rows, default),
                    F1 = RowMetrics.Value(RowMetrics.F1, rows, default, cut), Precision = RowMetrics.Value(RowMetrics.Precision, rows, default, cut),
                    Recall = RowMetrics.Value(RowMetrics.Recall, rows, default, cut), Accuracy = RowMetrics.Value(RowMetrics.Accuracy, rows, default, cut),
                    Roc = measurable ? Curves.Roc(rows.Labels, rows.Scores, MaxCurvePoints) : null,
                    PrecisionRecall = measurable ? Curves.PrecisionRecall(rows.Labels, rows.Scores, MaxCurvePoints) : null,
                    Reliability = Curves.Reliability(rows.Labels, rows.Scores),
                };
            case TaskType.Multiclass:
                var counts = Confusion(scored, classes?.Count ?? rows.Classes);
                var names = classes ?? Enumerable.Range(1, counts.Count).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                var perClass = PerClass(counts, names);
                var present = perClass.Where(c => c.Support > 0).ToArray();
                var m = ml.MulticlassClassification.Evaluate(scored);
                return new ModelMetrics
                {
                    Headline = headline, HeadlineValue = m.MacroAccuracy, HigherIsBetter = higher, Rows = rows.Count, Intervals = intervals,
                    MacroAccuracy = m.MacroAccuracy, MicroAccuracy = m.MicroAccuracy, LogLoss = m.LogLoss, Accuracy = m.MicroAccuracy,
                    MacroF1 = present.Length == 0 ? double.NaN : present.Average(c => c.F1), F1 = present.Length == 0 ? double.NaN : present.Average(c => c.F1),
                    Classes = names, ConfusionMatrix = counts, PerClass = perClass,
                };
            default:
                var r = ml.Regression.Evaluate(scored);
                return new ModelMetrics
                {
                    Headline = headline, HeadlineValue = r.RootMeanSquaredError, HigherIsBetter = higher, Rows = rows.Count, Intervals = intervals,
                    Rmse = r.RootMeanSquaredError, Mae = r.MeanAbsoluteError, RSquared = r.RSquared,
                    Residuals = Curves.Sample(rows.Labels.Select((a, i) => new CurvePoint(a, rows.Scores[i])).ToArray(), MaxResiduals),
                };
        }
    }

    /// <summary>Each class's precision, recall, F1 and support from the confusion matrix (rows actual, columns predicted).</summary>
    private static IReadOnlyList<ClassMetrics> PerClass(IReadOnlyList<IReadOnlyList<long>> counts, IReadOnlyList<string> names) =>
        names.Select((name, k) =>
        {
            var support = counts[k].Sum();
            var predicted = counts.Sum(row => row[k]);
            var hit = counts[k][k];
            var precision = predicted == 0 ? 0 : (double)hit / predicted;
            var recall = support == 0 ? 0 : (double)hit / support;
            return new ClassMetrics(name, precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall), (int)support);
        }).ToArray();

    /// <summary>SHA-256 (hex) over the bytes of every row's <c>Score</c> (and <c>Probability</c> for binary), in row order.</summary>
    public static string Fingerprint(IDataView scored)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var columns = new[] { Score, Probability }.Select(scored.Schema.GetColumnOrNull).OfType<DataViewSchema.Column>().ToArray();
        using var cursor = scored.OpenSerialCursor(columns);
        var readers = columns.Select(c => BytesReader(cursor, c)).ToArray();
        while (cursor.MoveNext())
        {
            foreach (var read in readers)
            {
                hash.AppendData(read());
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static Func<byte[]> BytesReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            var buffer = default(VBuffer<float>);
            return () =>
            {
                get(ref buffer);
                var dense = new float[buffer.Length];
                buffer.CopyTo(dense);
                return System.Runtime.InteropServices.MemoryMarshal.AsBytes(dense.AsSpan()).ToArray();
            };
        }

        var single = cursor.GetGetter<float>(column);
        var value = 0f;
        return () =>
        {
            single(ref value);
            return BitConverter.GetBytes(value);
        };
    }

    /// <summary>Counted from <c>Label</c> and <c>PredictedLabel</c> (keys 1..K; rows without a label key are left out).</summary>
    private static IReadOnlyList<IReadOnlyList<long>> Confusion(IDataView scored, int classes)
    {
        var counts = Enumerable.Range(0, classes).Select(_ => new long[classes]).ToArray();
        var label = scored.Schema[RuleCompiler.LabelColumn];
        var predicted = scored.Schema[PredictedLabel];
        using var cursor = scored.OpenSerialCursor([label, predicted]);
        var getLabel = cursor.GetGetter<uint>(label);
        var getPredicted = cursor.GetGetter<uint>(predicted);
        uint actual = 0, guess = 0;
        while (cursor.MoveNext())
        {
            getLabel(ref actual);
            getPredicted(ref guess);
            if (actual is > 0 && actual <= classes && guess is > 0 && guess <= classes)
            {
                counts[actual - 1][guess - 1]++;
            }
        }

        return counts;
    }

    /// <summary>Label (as a number) and one float column of every row.</summary>
    internal static (double[] Labels, double[] Values) ReadPairs(IDataView scored, string valueColumn)
    {
        var label = scored.Schema[RuleCompiler.LabelColumn];
        var value = scored.Schema[valueColumn];
        var labels = new List<double>();
        var values = new List<double>();
        using var cursor = scored.OpenSerialCursor([label, value]);
        var getValue = cursor.GetGetter<float>(value);
        Func<double> getLabel;
        if (label.Type is BooleanDataViewType)
        {
            var get = cursor.GetGetter<bool>(label);
            var flag = false;
            getLabel = () => { get(ref flag); return flag ? 1 : 0; };
        }
        else
        {
            var get = cursor.GetGetter<float>(label);
            var number = 0f;
            getLabel = () => { get(ref number); return number; };
        }

        var v = 0f;
        while (cursor.MoveNext())
        {
            labels.Add(getLabel());
            getValue(ref v);
            values.Add(v);
        }

        return (labels.ToArray(), values.ToArray());
    }
}
