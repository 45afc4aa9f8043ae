using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// Featurized rows held in memory (feature vectors, labels, entity keys): cross-validation folds, permutations and
/// per-row explanations build data views from it without running the rules again. Labels are 0/1 (binary), the class
/// key 1..K (multiclass; 0 = a class the rules never saw in training) or the value (regression).
/// </summary>
internal sealed class FeatureMatrix
{
    private FeatureMatrix(TaskType task, int width, int classCount, VBuffer<float>[] features, float[] labels, string?[] keys)
    {
        Task = task;
        Width = width;
        ClassCount = classCount;
        Features = features;
        Labels = labels;
        Keys = keys;
    }

    public TaskType Task { get; }

    public int Width { get; }

    public int ClassCount { get; }

    /// <summary>Kept as ML.NET reads them: text n-grams give thousands of mostly empty slots.</summary>
    public VBuffer<float>[] Features { get; }

    public float[] Labels { get; }

    public string?[] Keys { get; }

    public int Count => Labels.Length;

    /// <summary>Reads the rules' output (<c>Features</c>, <c>Label</c>, <c>EntityKey</c>).</summary>
    public static FeatureMatrix Read(IDataView view, TaskType task)
    {
        var schema = view.Schema;
        var featuresColumn = schema[RuleCompiler.FeaturesColumn];
        var width = ((VectorDataViewType)featuresColumn.Type).Size;
        var labelColumn = schema[RuleCompiler.LabelColumn];
        var classCount = labelColumn.Type is KeyDataViewType key ? (int)key.Count : 0;
        var keyColumn = schema.GetColumnOrNull(RuleCompiler.EntityKeyColumn);
        var active = new List<DataViewSchema.Column> { featuresColumn, labelColumn };
        if (keyColumn is { } k)
        {
            active.Add(k);
        }

        var features = new List<VBuffer<float>>();
        var labels = new List<float>();
        var keys = new List<string?>();
        using var cursor = view.OpenSerialCursor(active);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(featuresColumn);
        Func<float> getLabel = task switch
        {
            TaskType.Binary => Reader<bool>(cursor, labelColumn, b => b ? 1f : 0f),
            TaskType.Multiclass => Reader<uint>(cursor, labelColumn, u => u),
            _ => Reader<float>(cursor, labelColumn, f => f),
        };
        var getKey = keyColumn is { } kc ? cursor.GetGetter<ReadOnlyMemory<char>>(kc) : null;
        var buffer = default(VBuffer<float>);
        var text = default(ReadOnlyMemory<char>);
        while (cursor.MoveNext())
        {
            getFeatures(ref buffer);
            var copy = default(VBuffer<float>);
            buffer.CopyTo(ref copy);
            features.Add(copy);
            labels.Add(getLabel());
            if (getKey is not null)
            {
                getKey(ref text);
                keys.Add(text.IsEmpty ? null : text.ToString());
            }
            else
            {
                keys.Add(null);
            }
        }

        return new FeatureMatrix(task, width, classCount, features.ToArray(), labels.ToArray(), keys.ToArray());
    }

    /// <summary>The rows satisfying <paramref name="keep"/>.</summary>
    public FeatureMatrix Where(Func<int, bool> keep) => Rows(Enumerable.Range(0, Count).Where(keep).ToArray());

    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public FeatureMatrix Rows(IReadOnlyList<int> rows) =>
        new(Task, Width, ClassCount, rows.Select(r => Features[r]).ToArray(), rows.Select(r => Labels[r]).ToArray(), rows.Select(r => Keys[r]).ToArray());

    /// <summary>The rows at <paramref name="rows"/> (all when null), with features optionally replaced (one vector per row).</summary>
    public IDataView View(IReadOnlyList<int>? rows = null, IReadOnlyList<VBuffer<float>>? features = null)
    {
        rows ??= Enumerable.Range(0, Count).ToArray();
        return new MatrixDataView(this, rows, features ?? rows.Select(r => Features[r]).ToArray());
    }

    /// <summary>The row's vector with the slots in <paramref name="mask"/> taken from <paramref name="donor"/> instead.</summary>
    public static VBuffer<float> Replace(in VBuffer<float> row, in VBuffer<float> donor, bool[] mask)
    {
        var entries = new SortedDictionary<int, float>();
        foreach (var (slot, value) in row.Items())
        {
            if (!mask[slot] && value != 0) entries[slot] = value;
        }

        foreach (var (slot, value) in donor.Items())
        {
            if (mask[slot] && value != 0) entries[slot] = value;
        }

        return new VBuffer<float>(row.Length, entries.Count, entries.Values.ToArray(), entries.Keys.ToArray());
    }

    private static Func<float> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, float> convert)
    {
        var get = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            get(ref value);
            return convert(value);
        };
    }
}
