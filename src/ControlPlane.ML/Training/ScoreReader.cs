using System.Runtime.InteropServices;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>Reads a <see cref="ModelScore"/> from a scored row: the entity key and the task's score columns.</summary>
internal sealed class ScoreReader
{
    private readonly TaskType _task;
    private readonly IReadOnlyList<string> _classes;
    private readonly DataViewSchema.Column? _key;
    private readonly DataViewSchema.Column _score;

    private ScoreReader(TaskType task, IReadOnlyList<string> classes, DataViewSchema.Column? key, DataViewSchema.Column score)
    {
        _task = task;
        _classes = classes;
        _key = key;
        _score = score;
    }

    public IReadOnlyList<DataViewSchema.Column> Columns => _key is { } k ? [k, _score] : [_score];

    public static ScoreReader For(DataViewSchema schema, ModelReport report) => new(
        report.Task,
        report.ServedClasses ?? [],
        schema.GetColumnOrNull(RuleCompiler.EntityKeyColumn),
        schema[report.Task == TaskType.Binary ? ModelEvaluator.Probability : ModelEvaluator.Score]);

    public Func<ModelScore> Bind(DataViewRow row)
    {
        var getKey = _key is { } k ? row.GetGetter<ReadOnlyMemory<char>>(row.Schema[k.Name]) : null;
        var score = row.Schema[_score.Name];
        Func<(double, string?, IReadOnlyDictionary<string, double>?)> getScore;
        if (_task == TaskType.Multiclass)
        {
            var get = row.GetGetter<VBuffer<float>>(score);
            var buffer = default(VBuffer<float>);
            getScore = () =>
            {
                get(ref buffer);
                var values = buffer.DenseValues().ToArray();
                var best = Array.IndexOf(values, values.Max());
                var all = new Dictionary<string, double>(StringComparer.Ordinal);
                for (var c = 0; c < values.Length && c < _classes.Count; c++)
                {
                    all[_classes[c]] = values[c];
                }

                return (values[best], best < _classes.Count ? _classes[best] : null, all);
            };
        }
        else
        {
            var get = row.GetGetter<float>(score);
            var value = 0f;
            getScore = () =>
            {
                get(ref value);
                return (value, null, null);
            };
        }

        var text = default(ReadOnlyMemory<char>);
        return () =>
        {
            string? key = null;
            if (getKey is not null)
            {
                getKey(ref text);
                key = Text(text);
            }

            var (value, cls, all) = getScore();
            return new ModelScore(key, value, cls, all);
        };
    }

    /// <summary>
    /// Reads the cursor's rows straight into columns, one value per row: the score (binary: the probability; regression:
    /// the value) and, when <paramref name="keys"/> is given, the entity key. No object per row. Not for multiclass.
    /// </summary>
    /// <returns>The rows read.</returns>
    public int ReadInto(DataViewRowCursor cursor, Span<double> scores, Span<string?> keys)
    {
        if (_task == TaskType.Multiclass)
        {
            throw new NotSupportedException("A multiclass model's scores are read row by row (Bind).");
        }

        var getKey = _key is { } k && !keys.IsEmpty ? cursor.GetGetter<ReadOnlyMemory<char>>(cursor.Schema[k.Name]) : null;
        var getScore = cursor.GetGetter<float>(cursor.Schema[_score.Name]);
        var value = 0f;
        var text = default(ReadOnlyMemory<char>);
        var i = 0;
        while (cursor.MoveNext())
        {
            getScore(ref value);
            scores[i] = value;
            if (getKey is not null)
            {
                getKey(ref text);
                keys[i] = Text(text);
            }

            i++;
        }

        return i;
    }

    /// <summary>The key as a string: the string it is a whole view of (a raw text column's own value) when it is one, with no copy.</summary>
    internal static string? Text(ReadOnlyMemory<char> text) =>
        text.IsEmpty ? null
        : MemoryMarshal.TryGetString(text, out var whole, out var start, out var length) && start == 0 && length == whole.Length ? whole
        : text.ToString();
}
