using System.Runtime.InteropServices;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace ControlPlane.ML.Training;

/// <summary>
/// A FastTree ensemble copied into one flat array for real-time scoring of one row at a time: each tree is a run of
/// 8-byte slots, its split nodes (threshold, feature, both children) followed by its leaf values. ML.NET keeps each
/// tree as five separate arrays behind its own objects; with a thousand models in one process each request meets its
/// model cold, and walking a hundred trees touched some five hundred scattered arrays. Here a tree of twenty leaves is
/// about 300 contiguous bytes, and the trees follow each other.
/// <para>
/// The arithmetic is ML.NET's own, in its order, so the scores are the same bit for bit: a split sends a row to its
/// "less or equal" child when the feature value is at most the threshold (a NaN goes the other way), the ensemble's
/// output is the sum of the trees' leaf values in tree order as a double, cast to float; a binary model's probability
/// is then ML.NET's own calibrator applied to that float. Only what fits the slots is copied — plain numeric splits,
/// at most 127 splits per tree, at most 65,536 features; an ensemble with categorical splits or default values for
/// missing features (LightGBM's), or any other tree trainer, is left to ML.NET (<see cref="TryCreate"/> answers null).
/// </para>
/// </summary>
internal sealed class FlatTrees
{
    private readonly Slot[] _slots;
    private readonly int[] _starts; // per tree: its first split node
    private readonly int[] _leaves; // per tree: its first leaf
    private readonly ICalibrator? _calibrator;

    private FlatTrees(Slot[] slots, int[] starts, int[] leaves, int featureCount, ICalibrator? calibrator)
    {
        _slots = slots;
        _starts = starts;
        _leaves = leaves;
        FeatureCount = featureCount;
        _calibrator = calibrator;
    }

    /// <summary>The length of the feature vector the trees read.</summary>
    public int FeatureCount { get; }

    /// <summary>
    /// The flat copy of a FastTree binary (calibrated) or regression model reading <paramref name="featureCount"/>
    /// features; null for any other model, or one that does not fit the slots.
    /// </summary>
    public static FlatTrees? TryCreate(object model, int featureCount)
    {
        return model switch
        {
            CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> binary =>
                From(binary.SubModel.TrainedTreeEnsemble, featureCount, binary.Calibrator),
            FastTreeRegressionModelParameters regression => From(regression.TrainedTreeEnsemble, featureCount, null),
            _ => null,
        };
    }

    private static FlatTrees? From(RegressionTreeEnsemble ensemble, int featureCount, ICalibrator? calibrator)
    {
        if (featureCount > ushort.MaxValue + 1)
        {
            return null;
        }

        var slots = new List<Slot>();
        var starts = new List<int>();
        var leaves = new List<int>();
        foreach (var tree in ensemble.Trees)
        {
            var count = tree.NumberOfNodes;
            if (tree.NumberOfLeaves <= 1 || count == 0)
            {
                continue; // ML.NET scores an empty tree as 0, and adding 0.0 changes no sum
            }

            if (count > sbyte.MaxValue || tree.CategoricalSplitFlags.Take(count).Any(flag => flag))
            {
                return null;
            }

            starts.Add(slots.Count);
            for (var n = 0; n < count; n++)
            {
                var feature = tree.NumericalSplitFeatureIndexes[n];
                if (feature < 0 || feature >= featureCount)
                {
                    return null;
                }

                // Children: ≥ 0 a split node of this tree, < 0 the complement of a leaf of this tree, as ML.NET numbers them.
                slots.Add(Slot.Split(tree.NumericalSplitThresholds[n], (ushort)feature, (sbyte)tree.LeftChild[n], (sbyte)tree.RightChild[n]));
            }

            leaves.Add(slots.Count);
            slots.AddRange(tree.LeafValues.Take(tree.NumberOfLeaves).Select(Slot.Leaf));
        }

        return new FlatTrees(slots.ToArray(), starts.ToArray(), leaves.ToArray(), featureCount, calibrator);
    }

    /// <summary>The model's output for one dense feature vector: a binary model's calibrated probability, a regression's value.</summary>
    public float Score(ReadOnlySpan<float> features)
    {
        if (features.Length != FeatureCount)
        {
            throw new ArgumentException($"The feature vector has {features.Length} values; the trees read {FeatureCount}.", nameof(features));
        }

        var slots = _slots;
        var output = 0.0;
        for (var t = 0; t < _starts.Length; t++)
        {
            var start = _starts[t];
            var node = 0;
            while (true)
            {
                ref readonly var split = ref slots[start + node];
                node = features[split.Feature] <= split.Threshold ? split.Lte : split.Gt;
                if (node < 0)
                {
                    output += slots[_leaves[t] + ~node].Value;
                    break;
                }
            }
        }

        var score = (float)output;
        return _calibrator is null ? score : _calibrator.PredictProbability(score);
    }

    /// <summary>A split node (threshold, feature, children) or a leaf value, in 8 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 8)]
    private struct Slot
    {
        [FieldOffset(0)] public float Threshold;
        [FieldOffset(4)] public ushort Feature;
        [FieldOffset(6)] public sbyte Lte;
        [FieldOffset(7)] public sbyte Gt;
        [FieldOffset(0)] public double Value;

        public static Slot Split(float threshold, ushort feature, sbyte lte, sbyte gt) =>
            new() { Threshold = threshold, Feature = feature, Lte = lte, Gt = gt };

        public static Slot Leaf(double value) => new() { Value = value };
    }
}

/// <summary>
/// Scores rules' output rows with <see cref="FlatTrees"/>: reads the row's feature vector (sparse where the rules leave
/// it so) into a dense buffer and its entity key. One per row scorer; not thread-safe.
/// </summary>
internal sealed class FlatTreeReader(FlatTrees trees, string featuresColumn, string? keyColumn)
{
    private readonly float[] _dense = new float[trees.FeatureCount];
    private ValueGetter<VBuffer<float>>? _getFeatures;
    private ValueGetter<ReadOnlyMemory<char>>? _getKey;
    private DataViewRow? _bound;
    private VBuffer<float> _features;
    private ReadOnlyMemory<char> _key;

    public ModelScore Score(DataViewRow row)
    {
        if (!ReferenceEquals(row, _bound))
        {
            _getFeatures = row.GetGetter<VBuffer<float>>(row.Schema[featuresColumn]);
            _getKey = keyColumn is null ? null : row.GetGetter<ReadOnlyMemory<char>>(row.Schema[keyColumn]);
            _bound = row;
        }

        _getFeatures!(ref _features);
        _features.CopyTo(_dense); // zeros where a sparse vector has no value, as ML.NET reads it
        string? key = null;
        if (_getKey is not null)
        {
            _getKey(ref _key);
            key = ScoreReader.Text(_key);
        }

        return new ModelScore(key, trees.Score(_dense), null);
    }
}
