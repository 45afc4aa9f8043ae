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
    /// Baselines of every monitored column over <paramref name="featurized"/> (the fitted rules' output over the training
    /// rows) — each feature's cleaned value, a date-time's calendar parts (<see cref="DatePartDrift"/>) — and of the
    /// model's output over <paramref name="scores"/> (its test-split scores; binary: probabilities, regression: values;
    /// multiclass: the predicted classes in <paramref name="classes"/>). Each says which rule it comes from.
    /// </summary>
    public static IReadOnlyList<FeatureBaseline> Compute(
        IDataView featurized, IReadOnlyList<FeatureValue> values, TaskType task, ReadOnlySpan<double> scores, IReadOnlyList<string?>? classes = null)
    {
        var baselines = new List<FeatureBaseline>();
        foreach (var column in Columns(Read(featurized, Judged(values))))
        {
            var baseline = column.Kind switch
            {
                BaselineKind.Number => Baselines.Number(column.Name, column.Numbers),
                BaselineKind.Text => Baselines.Text(column.Name, column.Texts!),
                _ => Baselines.Category(column.Name, column.Texts!),
            };
            baselines.Add(baseline with { Rule = column.Rule, CycleDays = column.CycleDays });
        }

        baselines.Add(task == TaskType.Multiclass && classes is not null
            ? Baselines.Category(Prediction, classes)
            : Baselines.Number(Prediction, scores));
        return baselines;
    }

    /// <summary>
    /// Each monitored column of <paramref name="featurized"/> (the same rules' output over the rows of a window) and the
    /// model's output compared with <paramref name="baselines"/>, in the baselines' order, the features judged together
    /// (<see cref="Drift.Together"/>); columns without a baseline are left out, and so are calendar parts whose cycle
    /// <paramref name="spanDays"/> does not cover (null: the rows are not a time window, every part is compared).
    /// </summary>
    public static IReadOnlyList<FeatureDrift> Compare(
        IReadOnlyList<FeatureBaseline> baselines, IDataView featurized, IReadOnlyList<FeatureValue> values, DriftThresholds thresholds,
        double[] scores, IReadOnlyList<string?>? classes = null, int? spanDays = null) =>
        CompareWindows(baselines, featurized, values, thresholds, [null], [scores], classes is null ? null : [classes], [spanDays])[0];

    /// <summary>
    /// Like <see cref="Compare"/> for many windows at once: the features of <paramref name="featurized"/> are read in one
    /// pass (each pass re-runs the rules) and each window — row indices into it, or null for every row — is compared on
    /// its own slice. <paramref name="scores"/> and <paramref name="classes"/> hold each window's model outputs, and
    /// <paramref name="spanDays"/> the days each covers, in the windows' order.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<FeatureDrift>> CompareWindows(
        IReadOnlyList<FeatureBaseline> baselines, IDataView featurized, IReadOnlyList<FeatureValue> values, DriftThresholds thresholds,
        IReadOnlyList<int[]?> windows, IReadOnlyList<double[]> scores, IReadOnlyList<IReadOnlyList<string?>?>? classes = null,
        IReadOnlyList<int?>? spanDays = null)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != windows.Count || (classes is not null && classes.Count != windows.Count) || (spanDays is not null && spanDays.Count != windows.Count))
        {
            throw new ArgumentException("scores (and classes and spans, when given) need one entry per window", nameof(scores));
        }

        var wanted = baselines.Select(b => b.Feature).ToHashSet(StringComparer.Ordinal);
        var columns = Columns(Read(featurized, Judged(values))).Where(c => wanted.Contains(c.Name)).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var result = new List<IReadOnlyList<FeatureDrift>>(windows.Count);
        for (var w = 0; w < windows.Count; w++)
        {
            var rows = windows[w];
            var span = spanDays?[w];
            var inputs = new List<FeatureDrift>(baselines.Count);
            FeatureDrift? prediction = null;
            foreach (var baseline in baselines)
            {
                if (baseline.Feature == Prediction)
                {
                    prediction = baseline.Kind == BaselineKind.Category
                        ? Drift.Category(baseline, classes?[w] ?? [], thresholds)
                        : Drift.Number(baseline, scores[w], thresholds);
                }
                else if (columns.TryGetValue(baseline.Feature, out var column) && (baseline.CycleDays is not { } cycle || DatePartDrift.Covers(span, cycle)))
                {
                    var drift = baseline.Kind switch
                    {
                        BaselineKind.Number => Drift.Number(baseline, Slice(column.Numbers, rows), thresholds),
                        BaselineKind.Text => Drift.Text(baseline, Slice(column.Texts!, rows), thresholds),
                        _ => Drift.Category(baseline, Slice(column.Texts!, rows), thresholds),
                    };
                    inputs.Add(drift with { Rule = drift.Rule ?? column.Rule });
                }
            }

            var judged = Drift.Together(inputs, thresholds).ToList();
            if (prediction is not null)
            {
                judged.Add(prediction with { Rule = "the model's output" });
            }

            result.Add(judged);
        }

        return result;
    }

    /// <summary>
    /// Each monitored column of <paramref name="featurized"/> and the model's output counted into its baseline's bins, per
    /// day — <paramref name="days"/> holds each day's row indices, <paramref name="scores"/> (or <paramref name="classes"/>
    /// for multiclass) its outputs — so periods compare later by adding days (<see cref="Drift.Compare"/>). Every calendar
    /// part is counted (whether a period covers its cycle is decided when periods are compared).
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, BinCounts>> CountDays(
        IReadOnlyList<FeatureBaseline> baselines, IDataView featurized, IReadOnlyList<FeatureValue> values,
        IReadOnlyList<int[]> days, IReadOnlyList<double[]> scores, IReadOnlyList<IReadOnlyList<string?>?>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(scores);
        var wanted = baselines.Select(b => b.Feature).ToHashSet(StringComparer.Ordinal);
        var columns = Columns(Read(featurized, Judged(values))).Where(c => wanted.Contains(c.Name)).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var result = new List<IReadOnlyDictionary<string, BinCounts>>(days.Count);
        for (var d = 0; d < days.Count; d++)
        {
            var counted = new Dictionary<string, BinCounts>(StringComparer.Ordinal);
            foreach (var baseline in baselines)
            {
                if (baseline.Feature == Prediction)
                {
                    counted[Prediction] = baseline.Kind == BaselineKind.Category
                        ? Drift.CountTexts(baseline, classes?[d] ?? [])
                        : Drift.CountNumbers(baseline, scores[d]);
                }
                else if (columns.TryGetValue(baseline.Feature, out var column))
                {
                    counted[baseline.Feature] = baseline.Kind == BaselineKind.Number
                        ? Drift.CountNumbers(baseline, Slice(column.Numbers, days[d]))
                        : Drift.CountTexts(baseline, Slice(column.Texts!, days[d]));
                }
            }

            result.Add(counted);
        }

        return result;
    }

    /// <summary>
    /// Two periods' counts (<see cref="CountDays"/>, added up) compared as a window is — or one period with the training
    /// baseline when <paramref name="reference"/> is null — the inputs judged together, calendar parts only when both
    /// periods span their cycle (<paramref name="spanDays"/>: the shorter of the two; training spans every cycle).
    /// </summary>
    public static IReadOnlyList<FeatureDrift> ComparePeriods(
        IReadOnlyList<FeatureBaseline> baselines, IReadOnlyDictionary<string, BinCounts>? reference, IReadOnlyDictionary<string, BinCounts> analysis,
        DriftThresholds thresholds, int spanDays)
    {
        ArgumentNullException.ThrowIfNull(baselines);
        ArgumentNullException.ThrowIfNull(analysis);
        var inputs = new List<FeatureDrift>();
        FeatureDrift? prediction = null;
        foreach (var baseline in baselines)
        {
            if (!analysis.TryGetValue(baseline.Feature, out var current)
                || (reference is not null && !reference.ContainsKey(baseline.Feature))
                || (baseline.CycleDays is { } cycle && !DatePartDrift.Covers(spanDays, cycle)))
            {
                continue;
            }

            var drift = Drift.Compare(baseline, reference?[baseline.Feature], current, thresholds);
            if (baseline.Feature == Prediction)
            {
                prediction = drift with { Rule = "the model's output" };
            }
            else
            {
                inputs.Add(drift);
            }
        }

        var judged = Drift.Together(inputs, thresholds).ToList();
        if (prediction is not null)
        {
            judged.Add(prediction);
        }

        return judged;
    }

    /// <summary>One monitored column: a feature's cleaned value, or a date-time's calendar part, with its rule in words.</summary>
    private sealed record MonitoredColumn(string Name, BaselineKind Kind, double[] Numbers, string?[]? Texts, string? Rule, int? CycleDays);

    private static IEnumerable<MonitoredColumn> Columns(List<(FeatureValue Value, BaselineKind Kind, double[] Numbers, string?[]? Texts)> read)
    {
        foreach (var (value, kind, numbers, texts) in read)
        {
            var rule = value.Rule ?? $"feature '{value.Feature}'";
            if (value.Type != FeatureType.DateTime)
            {
                yield return new MonitoredColumn(value.Feature, kind, numbers, texts, rule, null);
                continue;
            }

            foreach (var part in DatePartDrift.Of(value.DateParts ?? []))
            {
                yield return new MonitoredColumn(DatePartDrift.Column(value.Feature, part), BaselineKind.Number,
                    DatePartDrift.Values(numbers, part), null, $"{rule}: {part.Words}", part.CycleDays);
            }
        }
    }

    /// <summary>
    /// The features drift is judged on: date-times only through their recorded parts (<see cref="DatePartDrift"/>), never
    /// their raw time — a date-time recorded without its parts (a version trained before they were) is left out, as are
    /// the raw date-time baselines such versions kept.
    /// </summary>
    private static FeatureValue[] Judged(IReadOnlyList<FeatureValue> values) =>
        values.Where(v => v.Type != FeatureType.DateTime || v.DateParts is { Count: > 0 }).ToArray();

    private static T[] Slice<T>(T[] values, int[]? rows)
    {
        if (rows is null)
        {
            return values;
        }

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
