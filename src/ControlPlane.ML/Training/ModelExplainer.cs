using System.Globalization;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// Explanations of a fitted predictor (the part of the chain after the rules) on featurized rows (decision 0035).
/// <para>Global: permutation importance per feature — all slots of a feature (one-hot, n-grams, date parts) are
/// permuted together across the rows, so the drop in the headline metric is the feature's, not a sum of slots that each
/// carry little; averaged over <see cref="Repeats"/> seeded permutations.</para>
/// <para>Per row: Shapley values of the features, estimated by sampling, in stated units (<see cref="ExplanationUnits"/>):
/// the log-odds of the probability (binary), the output (regression), the log-odds of the predicted class's
/// probability (multiclass). Each of <see cref="Background.Rows"/> samples pairs a training row (the background) with a
/// seeded order of the features; walking the order, each feature's slots switch from the background row's values to the
/// explained row's, and the feature is credited with the change of the model's output. Every sample's credits add up to
/// the output at the row minus the output at its background row, so the averages add up exactly:
/// <c>base + Σ contributions = output</c>, where the base is the mean output over the background rows — the same base
/// for every row. The same method serves every trainer, trees and linear models, binary, multiclass and regression.</para>
/// </summary>
internal static class ModelExplainer
{
    public const int Repeats = 3;

    /// <summary>Probabilities are kept this far from 0 and 1 so their log-odds stay finite.</summary>
    private const double Epsilon = 1e-9;

    public static IReadOnlyList<FeatureImportance> Importance(
        ITransformer predictor, FeatureMatrix test, IReadOnlyList<FeatureGroup> groups, TaskType task, int seed)
    {
        var (_, higher) = ModelEvaluator.Headline(task);
        var baseline = ModelEvaluator.HeadlineValue(predictor.Transform(test.View()), task);
        var result = new List<FeatureImportance>();
        for (var g = 0; g < groups.Count; g++)
        {
            var drops = new double[Repeats];
            for (var repeat = 0; repeat < Repeats; repeat++)
            {
                var order = Enumerable.Range(0, test.Count).ToArray();
                TrainingSplit.Shuffle(order, unchecked(seed * 7919 + g * 31 + repeat));
                var mask = groups[g].Mask(test.Width);
                var permuted = test.Features.Select((row, r) => FeatureMatrix.Replace(row, test.Features[order[r]], mask)).ToArray();
                var value = ModelEvaluator.HeadlineValue(predictor.Transform(test.View(null, permuted)), task);
                drops[repeat] = higher ? baseline - value : value - baseline;
            }

            result.Add(new FeatureImportance(groups[g].Feature, drops.Average()));
        }

        return result.OrderByDescending(i => i.Importance).ThenBy(i => i.Feature, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The stored explanations of training: <paramref name="count"/> rows spread evenly over <paramref name="rows"/>.</summary>
    public static IReadOnlyList<RowExplanation> Explain(ITransformer predictor, FeatureMatrix rows, IReadOnlyList<FeatureGroup> groups,
        TaskType task, IReadOnlyList<string> classes, Background background, int count)
    {
        count = Math.Min(count, rows.Count);
        if (count <= 0)
        {
            return [];
        }

        var picked = Enumerable.Range(0, count).Select(k => (int)((long)k * rows.Count / count)).ToArray();
        return ExplainRows(predictor, rows, picked, groups, task, classes, background);
    }

    /// <summary>Every row's explanation (real-time "explain").</summary>
    public static IReadOnlyList<RowExplanation> ExplainAll(ITransformer predictor, FeatureMatrix rows, IReadOnlyList<FeatureGroup> groups,
        TaskType task, IReadOnlyList<string> classes, Background background) =>
        ExplainRows(predictor, rows, Enumerable.Range(0, rows.Count).ToArray(), groups, task, classes, background);

    private static IReadOnlyList<RowExplanation> ExplainRows(ITransformer predictor, FeatureMatrix rows, int[] picked, IReadOnlyList<FeatureGroup> groups,
        TaskType task, IReadOnlyList<string> classes, Background background)
    {
        var width = rows.Width;
        var masks = groups.Select(g => g.Mask(width)).ToArray();
        var samples = background.Rows.Select(b => b.ToVector(width)).ToArray();
        var orders = Enumerable.Range(0, samples.Length).Select(s =>
        {
            var order = Enumerable.Range(0, groups.Count).ToArray();
            TrainingSplit.Shuffle(order, unchecked(background.Seed * 7919 + s));
            return order;
        }).ToArray();

        var scored = Outputs(predictor, rows, picked.Select(r => rows.Features[r]).ToArray(), task, null, classes);
        var result = new RowExplanation[picked.Length];
        for (var i = 0; i < picked.Length; i++)
        {
            var row = rows.Features[picked[i]];
            var (value, text, predicted) = scored[i];
            // Every sample's walk: the background row, then one more feature of the explained row at each step.
            var variants = new List<VBuffer<float>>(samples.Length * (groups.Count + 1));
            for (var s = 0; s < samples.Length; s++)
            {
                var current = samples[s];
                variants.Add(current);
                foreach (var g in orders[s])
                {
                    current = FeatureMatrix.Replace(current, row, masks[g]);
                    variants.Add(current);
                }
            }

            var outputs = Outputs(predictor, rows, variants, task, predicted, classes);
            var credit = new double[groups.Count];
            var baseValue = 0.0;
            for (var s = 0; s < samples.Length; s++)
            {
                var at = s * (groups.Count + 1);
                baseValue += outputs[at].Value;
                for (var k = 0; k < groups.Count; k++)
                {
                    credit[orders[s][k]] += outputs[at + k + 1].Value - outputs[at + k].Value;
                }
            }

            baseValue /= samples.Length;
            var contributions = groups.Select((g, k) => new FeatureContribution(g.Feature, credit[k] / samples.Length))
                .OrderByDescending(c => Math.Abs(c.Value)).ThenBy(c => c.Feature, StringComparer.Ordinal).ToArray();
            // Every walk ends at the row itself: the credits add up to its output, exactly as scoring gives it, minus the base.
            result[i] = new RowExplanation(rows.Keys[picked[i]], text, contributions)
            {
                BaseValue = baseValue, Value = value, Units = Units(task),
            };
        }

        return result;
    }

    public static string Units(TaskType task) => task switch
    {
        TaskType.Binary => ExplanationUnits.LogOdds,
        TaskType.Multiclass => ExplanationUnits.ClassLogOdds,
        _ => ExplanationUnits.Output,
    };

    /// <summary>
    /// The explained output of each vector (log-odds of the probability, the value, or the log-odds of class
    /// <paramref name="predictedClass"/> — each vector's own predicted class when null), the score as text, and the
    /// predicted class key.
    /// </summary>
    private static (double Value, string Text, int Class)[] Outputs(ITransformer predictor, FeatureMatrix matrix, IReadOnlyList<VBuffer<float>> vectors,
        TaskType task, int? predictedClass, IReadOnlyList<string> classNames)
    {
        var anyRow = Enumerable.Repeat(0, vectors.Count).ToArray();
        var scored = predictor.Transform(matrix.View(anyRow, vectors));
        switch (task)
        {
            case TaskType.Binary:
                var probabilities = scored.ReadColumn<float, double>(scored.Schema[ModelEvaluator.Probability], v => v);
                return probabilities.Select(p => (LogOdds(p), p.ToString("0.####", CultureInfo.InvariantCulture), 0)).ToArray();
            case TaskType.Multiclass:
                var classes = ReadVectors(scored, ModelEvaluator.Score, -1);
                return classes.Select(p =>
                {
                    var best = Array.IndexOf(p, p.Max());
                    var c = predictedClass ?? best;
                    return (LogOdds(p[c]), best < classNames.Count ? classNames[best] : best.ToString(CultureInfo.InvariantCulture), c);
                }).ToArray();
            default:
                var values = scored.ReadColumn<float, double>(scored.Schema[ModelEvaluator.Score], v => v);
                return values.Select(v => (v, v.ToString("0.####", CultureInfo.InvariantCulture), 0)).ToArray();
        }
    }

    private static double LogOdds(double p)
    {
        var q = Math.Clamp(p, Epsilon, 1 - Epsilon);
        return Math.Log(q / (1 - q));
    }

    internal static float[][] ReadVectors(IDataView view, string column, int width)
    {
        var col = view.Schema[column];
        width = width < 0 ? ((VectorDataViewType)col.Type).Size : width;
        var result = new List<float[]>();
        using var cursor = view.OpenSerialCursor([col]);
        var get = cursor.GetGetter<VBuffer<float>>(col);
        var buffer = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            get(ref buffer);
            var dense = new float[width];
            buffer.CopyTo(dense);
            result.Add(dense);
        }

        return result.ToArray();
    }
}

/// <summary>A feature (rule) and the slots of the feature vector it fills.</summary>
public sealed record FeatureGroup(string Feature, int[] Slots)
{
    internal bool[] Mask(int width)
    {
        var mask = new bool[width];
        foreach (var slot in Slots) mask[slot] = true;
        return mask;
    }

    internal static IReadOnlyList<FeatureGroup> From(IReadOnlyList<FeatureSlot> slots) =>
        slots.GroupBy(s => s.Feature).Select(g => new FeatureGroup(g.Key, g.Select(s => s.Index).ToArray())).ToArray();
}

/// <summary>
/// The training rows explanations start from (<see cref="ModelExplainer"/>): a fixed, seeded sample of featurized
/// training rows, kept with the model so serving explains as training did. Vectors are stored sparse.
/// </summary>
public sealed record Background(int Seed, IReadOnlyList<SparseRow> Rows)
{
    /// <summary>Samples per explanation: each pairs one of these rows with its own order of the features.</summary>
    public const int Size = 16;

    internal static Background Sample(FeatureMatrix rows, int seed)
    {
        var order = Enumerable.Range(0, rows.Count).ToArray();
        TrainingSplit.Shuffle(order, unchecked(seed * 31 + 17));
        return new Background(seed, order.Take(Math.Min(Size, rows.Count)).Select(r => SparseRow.From(rows.Features[r])).ToArray());
    }
}

/// <summary>A feature vector's non-zero slots.</summary>
public sealed record SparseRow(int[] Slots, float[] Values)
{
    internal static SparseRow From(in VBuffer<float> vector)
    {
        var items = vector.Items().Where(i => i.Value != 0).ToArray();
        return new SparseRow(items.Select(i => i.Key).ToArray(), items.Select(i => i.Value).ToArray());
    }

    internal VBuffer<float> ToVector(int width) => new(width, Slots.Length, Values.ToArray(), Slots.ToArray());
}

/// <summary>What per-row contributions and their base value are measured in.</summary>
public static class ExplanationUnits
{
    /// <summary>Binary: the log-odds of the returned probability, ln(p / (1 − p)).</summary>
    public const string LogOdds = "logOdds";

    /// <summary>Multiclass: the log-odds of the predicted class's probability.</summary>
    public const string ClassLogOdds = "classLogOdds";

    /// <summary>Regression: the model's output, in the label's units.</summary>
    public const string Output = "output";
}
