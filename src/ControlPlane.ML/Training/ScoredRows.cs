using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// One model's outputs on labelled rows, in memory, for metrics on any weighting of the rows (<see cref="RowMetrics"/>):
/// the bootstrap resamples rows as weights, and two models scored on the same rows are compared pair by pair.
/// </summary>
public sealed class ScoredRows
{
    private int[]? _order;
    private int[]? _tieEnds;

    /// <param name="labels">Binary 0/1, regression the value, multiclass the class key 1..K (0: a class training never saw).</param>
    /// <param name="scores">Binary the positive class's probability, regression the value; multiclass the predicted class's probability.</param>
    /// <param name="predicted">Multiclass: the predicted class key per row.</param>
    /// <param name="classes">Multiclass: the number of classes K.</param>
    /// <param name="ranking">Binary: the raw score rows are ranked by for AUC (the probability saturates at 0 and 1 where the raw score still orders rows); null ranks by <paramref name="scores"/>.</param>
    public ScoredRows(TaskType task, double[] labels, double[] scores, int[]? predicted = null, int classes = 0, double[]? ranking = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Length != scores.Length || (predicted is not null && predicted.Length != labels.Length) || (ranking is not null && ranking.Length != labels.Length))
        {
            throw new ArgumentException("Labels, scores and predicted classes need one entry per row.");
        }

        Task = task;
        Labels = labels;
        Scores = scores;
        Predicted = predicted;
        Classes = classes;
        Ranking = ranking ?? scores;
    }

    public TaskType Task { get; }

    public double[] Labels { get; }

    public double[] Scores { get; }

    public int[]? Predicted { get; }

    /// <summary>What AUC ranks rows by: the raw score of a binary model, else <see cref="Scores"/>.</summary>
    public double[] Ranking { get; }

    public int Classes { get; }

    public int Count => Labels.Length;

    /// <summary>Row indices by ascending <see cref="Ranking"/> (ties by index), computed once for AUC under any weights.</summary>
    internal int[] Order => _order ??= Enumerable.Range(0, Count).OrderBy(i => Ranking[i]).ThenBy(i => i).ToArray();

    /// <summary>For each position of <see cref="Order"/>: the end (exclusive) of its run of equal rankings.</summary>
    internal int[] TieEnds
    {
        get
        {
            if (_tieEnds is not null)
            {
                return _tieEnds;
            }

            var order = Order;
            var ends = new int[order.Length];
            for (var start = 0; start < order.Length;)
            {
                var end = start + 1;
                while (end < order.Length && Ranking[order[end]] == Ranking[order[start]]) end++;
                for (var k = start; k < end; k++) ends[k] = end;
                start = end;
            }

            return _tieEnds = ends;
        }
    }

    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public ScoredRows Subset(IReadOnlyList<int> rows) => new(Task, rows.Select(r => Labels[r]).ToArray(), rows.Select(r => Scores[r]).ToArray(),
        Predicted is null ? null : rows.Select(r => Predicted[r]).ToArray(), Classes, rows.Select(r => Ranking[r]).ToArray());

    /// <summary>
    /// Reads a scored view (<c>Label</c> and the trainer's columns): binary <c>Probability</c> ranked by <c>Score</c>,
    /// regression <c>Score</c>, multiclass <c>PredictedLabel</c> and the predicted class's probability from <c>Score</c>.
    /// </summary>
    public static ScoredRows Read(IDataView scored, TaskType task)
    {
        ArgumentNullException.ThrowIfNull(scored);
        if (task == TaskType.Binary)
        {
            var (labels, probabilities) = ModelEvaluator.ReadPairs(scored, ModelEvaluator.Probability);
            var (_, raw) = ModelEvaluator.ReadPairs(scored, ModelEvaluator.Score);
            return new ScoredRows(task, labels, probabilities, ranking: raw);
        }

        if (task == TaskType.Regression)
        {
            var (labels, values) = ModelEvaluator.ReadPairs(scored, ModelEvaluator.Score);
            return new ScoredRows(task, labels, values);
        }

        var label = scored.Schema[RuleCompiler.LabelColumn];
        var predictedColumn = scored.Schema[ModelEvaluator.PredictedLabel];
        var scoreColumn = scored.Schema[ModelEvaluator.Score];
        var classes = (int)((KeyDataViewType)label.Type).Count;
        var keys = new List<double>();
        var predicted = new List<int>();
        var chosen = new List<double>();
        using var cursor = scored.OpenSerialCursor([label, predictedColumn, scoreColumn]);
        var getLabel = cursor.GetGetter<uint>(label);
        var getPredicted = cursor.GetGetter<uint>(predictedColumn);
        var getScore = cursor.GetGetter<VBuffer<float>>(scoreColumn);
        uint actual = 0, guess = 0;
        var buffer = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getLabel(ref actual);
            getPredicted(ref guess);
            getScore(ref buffer);
            keys.Add(actual);
            predicted.Add((int)guess);
            chosen.Add(guess > 0 && guess <= buffer.Length ? buffer.GetItemOrDefault((int)guess - 1) : double.NaN);
        }

        return new ScoredRows(task, keys.ToArray(), chosen.ToArray(), predicted.ToArray(), classes);
    }
}
