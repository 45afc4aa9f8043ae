using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Monitoring;

/// <summary>
/// What drift is measured on, at training time and later alike: each feature's cleaned value as the fitted rules leave
/// it (<see cref="FeatureValue"/>: numbers after scaling, clipping and imputation, categories after their spellings are
/// mapped, text as the rules read it), and the model's output. Training summarizes them into baselines stored with the
/// model version (<see cref="ModelReport.Baselines"/>), so a later check never needs the training data again; a check
/// runs the same rules over the scored rows and compares (<see cref="Compare"/>).
/// </summary>
public static class ModelBaselines
{
    /// <summary>The name the model's output goes by among the features' baselines.</summary>
    public const string Prediction = "(prediction)";

    /// <summary>
    /// Baselines of every feature over <paramref name="featurized"/> (the fitted rules' output over the training rows)
    /// and of the model's output over <paramref name="scores"/> (its test-split scores; binary: probabilities,
    /// regression: values; multiclass: the predicted classes in <paramref name="classes"/>).
    /// </summary>
    public static IReadOnlyList<FeatureBaseline> Compute(
        IDataView featurized, IReadOnlyList<FeatureValue> values, TaskType task, ReadOnlySpan<double> scores, IReadOnlyList<string?>? classes = null)
    {
        var read = Read(featurized, Judged(values));
        var baselines = new List<FeatureBaseline>(read.Count + 1);
        foreach (var (value, kind, numbers, texts) in read)
        {
            baselines.Add(kind switch
            {
                BaselineKind.Number => Baselines.Number(value.Feature, numbers),
                BaselineKind.Text => Baselines.Text(value.Feature, texts!),
                _ => Baselines.Category(value.Feature, texts!),
            });
        }

        baselines.Add(task == TaskType.Multiclass && classes is not null
            ? Baselines.Category(Prediction, classes)
            : Baselines.Number(Prediction, scores));
        return baselines;
    }

    /// <summary>
    /// Each feature of <paramref name="featurized"/> (the same rules' output over the rows of a window) and the model's
    /// output compared with <paramref name="baselines"/>, in the baselines' order; features without a baseline are left out.
    /// </summary>
    public static IReadOnlyList<FeatureDrift> Compare(
        IReadOnlyList<FeatureBaseline> baselines, IDataView featurized, IReadOnlyList<FeatureValue> values, DriftThresholds thresholds,
        ReadOnlySpan<double> scores, IReadOnlyList<string?>? classes = null)
    {
        var wanted = baselines.Select(b => b.Feature).ToHashSet(StringComparer.Ordinal);
        var read = Read(featurized, Judged(values).Where(v => wanted.Contains(v.Feature)).ToArray()).ToDictionary(r => r.Value.Feature, StringComparer.Ordinal);
        var result = new List<FeatureDrift>(baselines.Count);
        foreach (var baseline in baselines)
        {
            if (baseline.Feature == Prediction)
            {
                result.Add(baseline.Kind == BaselineKind.Category
                    ? Drift.Category(baseline, classes ?? [], thresholds)
                    : Drift.Number(baseline, scores, thresholds));
            }
            else if (read.TryGetValue(baseline.Feature, out var column))
            {
                result.Add(baseline.Kind switch
                {
                    BaselineKind.Number => Drift.Number(baseline, column.Numbers, thresholds),
                    BaselineKind.Text => Drift.Text(baseline, column.Texts!, thresholds),
                    _ => Drift.Category(baseline, column.Texts!, thresholds),
                });
            }
        }

        return result;
    }

    /// <summary>
    /// Like <see cref="Compare"/> for many windows at once: the features of <paramref name="featurized"/> are read in one
    /// pass (each pass re-runs the rules) and each window — row indices into it — is compared on its own slice.
    /// <paramref name="scores"/> and <paramref name="classes"/> hold each window's model outputs, in the windows' order.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<FeatureDrift>> CompareWindows(
        IReadOnlyList<FeatureBaseline> baselines, IDataView featurized, IReadOnlyList<FeatureValue> values, DriftThresholds thresholds,
        IReadOnlyList<int[]> windows, IReadOnlyList<double[]> scores, IReadOnlyList<IReadOnlyList<string?>?>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != windows.Count || (classes is not null && classes.Count != windows.Count))
        {
            throw new ArgumentException("scores (and classes, when given) need one entry per window", nameof(scores));
        }

        var wanted = baselines.Select(b => b.Feature).ToHashSet(StringComparer.Ordinal);
        var read = Read(featurized, Judged(values).Where(v => wanted.Contains(v.Feature)).ToArray()).ToDictionary(r => r.Value.Feature, StringComparer.Ordinal);
        var result = new List<IReadOnlyList<FeatureDrift>>(windows.Count);
        for (var w = 0; w < windows.Count; w++)
        {
            var rows = windows[w];
            var drifts = new List<FeatureDrift>(baselines.Count);
            foreach (var baseline in baselines)
            {
                if (baseline.Feature == Prediction)
                {
                    drifts.Add(baseline.Kind == BaselineKind.Category
                        ? Drift.Category(baseline, classes?[w] ?? [], thresholds)
                        : Drift.Number(baseline, scores[w], thresholds));
                }
                else if (read.TryGetValue(baseline.Feature, out var column))
                {
                    drifts.Add(baseline.Kind switch
                    {
                        BaselineKind.Number => Drift.Number(baseline, Slice(column.Numbers, rows), thresholds),
                        BaselineKind.Text => Drift.Text(baseline, Slice(column.Texts!, rows), thresholds),
                        _ => Drift.Category(baseline, Slice(column.Texts!, rows), thresholds),
                    });
                }
            }

            result.Add(drifts);
        }

        return result;
    }

    /// <summary>
    /// The features drift is judged on: not date-times. Rows newer than the reference period always lie later in time,
    /// so a date-time's values (and its elapsed-time trend) would drift in every window of every tenant; a shift in
    /// what the date stands for shows in the other features and the output. Baselines of date-times stored by older
    /// versions are left out the same way.
    /// </summary>
    private static FeatureValue[] Judged(IReadOnlyList<FeatureValue> values) => values.Where(v => v.Type != FeatureType.DateTime).ToArray();

    private static T[] Slice<T>(T[] values, int[] rows)
    {
        var slice = new T[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            slice[i] = values[rows[i]];
        }

        return slice;
    }

    /// <summary>The value columns of <paramref name="values"/> read in one pass over <paramref name="view"/> (each pass re-runs the rules).</summary>
    private static List<(FeatureValue Value, BaselineKind Kind, double[] Numbers, string?[]? Texts)> Read(IDataView view, IReadOnlyList<FeatureValue> values)
    {
        var present = values.Select(v => (Value: v, Column: view.Schema.GetColumnOrNull(v.Column)))
            .Where(x => x.Column is not null).Select(x => (x.Value, Column: x.Column!.Value)).ToArray();
        var numbers = present.Select(_ => new List<double>()).ToArray();
        var texts = present.Select(_ => new List<string?>()).ToArray();
        var readers = new Action[present.Length];
        using (var cursor = view.OpenSerialCursor(present.Select(x => x.Column).Distinct()))
        {
            for (var i = 0; i < present.Length; i++)
            {
                var (n, t) = (numbers[i], texts[i]);
                var column = present[i].Column;
                readers[i] = column.Type switch
                {
                    NumberDataViewType f when f == NumberDataViewType.Single => Reader<float>(cursor, column, v => n.Add(v)),
                    NumberDataViewType d when d == NumberDataViewType.Double => Reader<double>(cursor, column, v => n.Add(v)),
                    BooleanDataViewType => Reader<bool>(cursor, column, v => n.Add(v ? 1 : 0)),
                    TextDataViewType => Reader<ReadOnlyMemory<char>>(cursor, column, v => t.Add(v.IsEmpty ? null : v.ToString())),
                    _ => () => { },
                };
            }

            while (cursor.MoveNext())
            {
                foreach (var read in readers)
                {
                    read();
                }
            }
        }

        return present.Select((x, i) => (x.Value, KindOf(x.Value, x.Column), numbers[i].ToArray(),
            x.Column.Type is TextDataViewType ? texts[i].ToArray() : null)).ToList();
    }

    private static Action Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Action<T> add)
    {
        var get = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            get(ref value);
            add(value);
        };
    }

    private static BaselineKind KindOf(FeatureValue value, DataViewSchema.Column column) => column.Type switch
    {
        TextDataViewType => value.Type == FeatureType.Text ? BaselineKind.Text : BaselineKind.Category,
        _ => BaselineKind.Number,
    };
}
