using System.Globalization;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace ControlPlane.ML.Training;

/// <summary>
/// Explanations of a fitted predictor (the part of the chain after the rules) on featurized test rows.
/// <para>Global: permutation importance per feature — all slots of a feature (one-hot, n-grams, date parts) are
/// permuted together across the test rows, so the drop in the headline metric is the feature's, not a sum of slots
/// that each carry little; averaged over <see cref="Repeats"/> seeded permutations.</para>
/// <para>Per row: ML.NET's <c>CalculateFeatureContribution</c> where the trainer supports it (FastTree, LightGBM and
/// linear binary and regression models; contributions in the model's raw score, before calibration), summed over each
/// feature's slots. Multiclass models have no such support: there a feature's contribution is how much the predicted
/// class's probability drops when the feature's slots are replaced by their training mean (occlusion).</para>
/// </summary>
internal static class ModelExplainer
{
    public const int Repeats = 3;
    private const string Contributions = "FeatureContributions";

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

    public static IReadOnlyList<RowExplanation> Explain(
        MLContext ml, ITransformer predictor, FeatureMatrix train, FeatureMatrix test, IReadOnlyList<FeatureGroup> groups,
        TaskType task, IReadOnlyList<string> classes, int count)
    {
        count = Math.Min(count, test.Count);
        if (count <= 0)
        {
            return [];
        }

        var rows = Enumerable.Range(0, count).Select(k => (int)((long)k * test.Count / count)).ToArray();
        var scored = predictor.Transform(test.View(rows));
        var perSlot = ContributionsByModel(ml, predictor, test, scored) ?? Occlusion(predictor, train, test, rows, groups, scored);
        return Build(test, rows, scored, perSlot, groups, task, classes);
    }

    /// <summary>
    /// Every row's contributions, by the predictor's own feature contributions (linear models, boosted trees); null for a
    /// predictor that has none (multiclass models are explained by occlusion against training means, which serving does
    /// not hold).
    /// </summary>
    public static IReadOnlyList<RowExplanation>? ExplainAll(
        MLContext ml, ITransformer predictor, FeatureMatrix rows, IReadOnlyList<FeatureGroup> groups, TaskType task, IReadOnlyList<string> classes)
    {
        var all = Enumerable.Range(0, rows.Count).ToArray();
        var scored = predictor.Transform(rows.View(all));
        return ContributionsByModel(ml, predictor, rows, scored) is { } perSlot ? Build(rows, all, scored, perSlot, groups, task, classes) : null;
    }

    private static IReadOnlyList<RowExplanation> Build(FeatureMatrix test, int[] rows, IDataView scored, float[][] perSlot,
        IReadOnlyList<FeatureGroup> groups, TaskType task, IReadOnlyList<string> classes)
    {
        var scores = Scores(scored, task, classes);
        return rows.Select((row, i) => new RowExplanation(test.Keys[row], scores[i],
            groups.Select(g => new FeatureContribution(g.Feature, g.Slots.Sum(s => (double)perSlot[i][s])))
                .OrderByDescending(c => Math.Abs(c.Value)).ThenBy(c => c.Feature, StringComparer.Ordinal).ToArray())).ToArray();
    }

    /// <summary>ML.NET's feature contributions per slot, or null when the predictor does not support them.</summary>
    private static float[][]? ContributionsByModel(MLContext ml, ITransformer predictor, FeatureMatrix test, IDataView scored)
    {
        var last = predictor is TransformerChain<ITransformer> chain ? chain.LastTransformer : predictor;
        int width = ((VectorDataViewType)scored.Schema[RuleCompiler.FeaturesColumn].Type).Size;
        IEstimator<ITransformer>? estimator = last switch
        {
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> t =>
                ml.Transforms.CalculateFeatureContribution(t, width, width, normalize: false),
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>> t =>
                ml.Transforms.CalculateFeatureContribution(t, width, width, normalize: false),
            ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>> t =>
                ml.Transforms.CalculateFeatureContribution(t, width, width, normalize: false),
            ISingleFeaturePredictionTransformer<ICalculateFeatureContribution> t =>
                ml.Transforms.CalculateFeatureContribution(t, width, width, normalize: false),
            _ => null,
        };
        if (estimator is null)
        {
            return null;
        }

        // The scored view's Features are the predictor's input (normalized in place for linear models).
        var output = estimator.Fit(scored).Transform(scored);
        var contributions = ReadVectors(output, Contributions, width);
        if (width == test.Width)
        {
            return contributions;
        }

        // Slots were selected (see TrainerCandidate.MaxSlots): a probe row whose slot i holds i + 1, passed through the
        // selection, tells which original slot each selected one is.
        var selector = ((TransformerChain<ITransformer>)predictor).First();
        var probe = new VBuffer<float>(test.Width, Enumerable.Range(1, test.Width).Select(i => (float)i).ToArray());
        var origin = ReadVectors(selector.Transform(test.View([0], [probe])), RuleCompiler.FeaturesColumn, width)[0];
        return contributions.Select(row =>
        {
            var full = new float[test.Width];
            for (var k = 0; k < width; k++) full[(int)origin[k] - 1] += row[k];
            return full;
        }).ToArray();
    }

    private static float[][] Occlusion(ITransformer predictor, FeatureMatrix train, FeatureMatrix test,
        int[] rows, IReadOnlyList<FeatureGroup> groups, IDataView scored)
    {
        var sums = new double[train.Width];
        foreach (var vector in train.Features)
        {
            foreach (var (slot, value) in vector.Items()) sums[slot] += value;
        }

        var means = new VBuffer<float>(train.Width, sums.Select(v => (float)(v / train.Count)).ToArray());

        var probabilities = ReadVectors(scored, ModelEvaluator.Score, -1);
        var predicted = probabilities.Select(p => Array.IndexOf(p, p.Max())).ToArray();
        var variants = new List<VBuffer<float>>();
        var variantRows = new List<int>();
        foreach (var row in rows)
        {
            foreach (var group in groups)
            {
                variants.Add(FeatureMatrix.Replace(test.Features[row], means, group.Mask(test.Width)));
                variantRows.Add(row);
            }
        }

        var occluded = ReadVectors(predictor.Transform(test.View(variantRows, variants)), ModelEvaluator.Score, -1);
        var result = new float[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            result[i] = new float[test.Width];
            for (var g = 0; g < groups.Count; g++)
            {
                // Spread the feature's drop over its first slot: summing per feature gives it back whole.
                var drop = probabilities[i][predicted[i]] - occluded[i * groups.Count + g][predicted[i]];
                result[i][groups[g].Slots[0]] += drop;
            }
        }

        return result;
    }

    private static string[] Scores(IDataView scored, TaskType task, IReadOnlyList<string> classes) => task switch
    {
        TaskType.Binary => ModelEvaluator.ReadPairs(scored, ModelEvaluator.Probability).Values.Select(p => p.ToString("0.####", CultureInfo.InvariantCulture)).ToArray(),
        TaskType.Multiclass => ReadVectors(scored, ModelEvaluator.Score, -1).Select(p => classes[Array.IndexOf(p, p.Max())]).ToArray(),
        _ => ModelEvaluator.ReadPairs(scored, ModelEvaluator.Score).Values.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)).ToArray(),
    };

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
