using System.Globalization;
using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// The three parts of the labelled rows (decision 0035): <see cref="Train"/> fits candidates, <see cref="Validation"/>
/// makes every choice (own or pooled, promotion, threshold, leakage), <see cref="Test"/> is only reported. Ordered by
/// event time when the rules map one — oldest rows train, the newest <see cref="TrainingSettings.TestFraction"/> test,
/// the <see cref="TrainingSettings.ValidationFraction"/> before them validate — and a cut never separates rows of one
/// event time: it moves to the nearest change of time. Without event times (or with fewer than three distinct ones) the
/// parts are a seeded shuffle, stratified by class for classification (each part holds each class in its share, and at
/// least one row of every class with three rows or more). Rows without a label are dropped first; rows without an event
/// time count as the oldest.
/// </summary>
public sealed record TrainingSplit(RawTable Train, RawTable Validation, RawTable Test, SplitSummary Summary)
{
    /// <summary>
    /// Labelled rows below this cannot give a model worth registering: with fewer, the three parts are a handful of rows
    /// each and nothing can be measured. Above it no row count decides anything: a small tenant's own model is compared
    /// with the pooled one on its validation rows (decision 0035).
    /// </summary>
    public const int MinimumRows = 30;

    /// <summary>Rows of the training and validation parts together: what the tested model is fitted on.</summary>
    public RawTable TrainAndValidation => RawTableRows.Concat([Train, Validation]);

    /// <summary>Every labelled row, oldest first when by time: what the served model is fitted on.</summary>
    public RawTable All => RawTableRows.Concat([Train, Validation, Test]);

    /// <summary>The rows of <see cref="All"/> as indices into the table the split was made of (empty for a split assembled by hand).</summary>
    public IReadOnlyList<int> AllRows { get; init; } = [];

    /// <param name="minimumRows">Labelled rows needed (default <see cref="MinimumRows"/>; at least 3, one per part).</param>
    /// <exception cref="TrainingException">Fewer than <paramref name="minimumRows"/> labelled rows.</exception>
    public static TrainingSplit Make(CompiledRules rules, RawTable data, TrainingSettings settings, int minimumRows = MinimumRows)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        var (known, times, labels) = ReadLabels(rules, data);
        var rows = Enumerable.Range(0, data.RowCount).Where(r => known[r]).ToList();
        minimumRows = Math.Max(3, minimumRows);
        if (rows.Count < minimumRows)
        {
            throw new TrainingException(
                $"Only {Count(rows.Count)} of the {Count(data.RowCount)} rows have a label; training needs at least {Count(minimumRows)} labelled rows.");
        }

        var testCount = Math.Clamp((int)Math.Round(rows.Count * settings.TestFraction), 1, rows.Count - 2);
        var validationCount = Math.Clamp((int)Math.Round(rows.Count * settings.ValidationFraction), 1, rows.Count - testCount - 1);
        string? note = null;
        int[] trainRows = [], validationRows = [], testRows = [];
        var timed = times is not null && rows.Any(r => !double.IsNaN(times[r]));
        if (timed)
        {
            // Missing times first (treated as oldest), then by time; ties keep file order so the split is stable.
            var ordered = rows.OrderBy(r => Key(times![r])).ThenBy(r => r).ToArray();
            var changes = Enumerable.Range(1, ordered.Length - 1).Where(i => Key(times![ordered[i]]) != Key(times[ordered[i - 1]])).ToArray();
            var testCut = Nearest(changes, ordered.Length - testCount, int.MaxValue);
            var validationCut = testCut < 0 ? -1 : Nearest(changes, ordered.Length - testCount - validationCount, testCut);
            if (validationCut > 0)
            {
                trainRows = ordered[..validationCut];
                validationRows = ordered[validationCut..testCut];
                testRows = ordered[testCut..];
            }
            else
            {
                timed = false;
                note = $"The labelled rows have {changes.Length + 1} distinct event time{(changes.Length == 0 ? "" : "s")}: too few to split by time, so the parts were drawn at random.";
            }
        }

        if (!timed)
        {
            (trainRows, validationRows, testRows) = rules.Task == TaskType.Regression
                ? Drawn(rows, validationCount, testCount, settings.Seed)
                : Stratified(rows, labels, settings);
        }

        var summary = new SplitSummary(timed, trainRows.Length, testRows.Length,
            timed ? Time(trainRows.Select(r => times![r]).Where(t => !double.IsNaN(t)).DefaultIfEmpty(double.NaN).Max()) : null,
            timed ? Time(times![testRows[0]]) : null)
        {
            ValidationRows = validationRows.Length,
            ValidationFrom = timed ? Time(times![validationRows[0]]) : null,
            Note = note,
        };
        return new TrainingSplit(
            RawTableRows.Select(data, trainRows), RawTableRows.Select(data, validationRows), RawTableRows.Select(data, testRows), summary)
        {
            AllRows = [.. trainRows, .. validationRows, .. testRows],
        };
    }

    /// <summary>A seeded shuffle of <paramref name="rows"/>: the last <paramref name="testCount"/> test, the ones before them validate.</summary>
    private static (int[] Train, int[] Validation, int[] Test) Drawn(IReadOnlyList<int> rows, int validationCount, int testCount, int seed)
    {
        var shuffled = rows.Order().ToArray();
        Shuffle(shuffled, seed);
        var firstValidation = shuffled.Length - testCount - validationCount;
        return (shuffled[..firstValidation], shuffled[firstValidation..(shuffled.Length - testCount)], shuffled[(shuffled.Length - testCount)..]);
    }

    /// <summary>Each class drawn on its own, so every part holds it in its share (one row at least when the class has three).</summary>
    private static (int[] Train, int[] Validation, int[] Test) Stratified(List<int> rows, string?[] labels, TrainingSettings settings)
    {
        var train = new List<int>();
        var validation = new List<int>();
        var test = new List<int>();
        foreach (var group in rows.GroupBy(r => labels[r] ?? "", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            var n = members.Length;
            var testCount = n < 3 ? 0 : Math.Clamp((int)Math.Round(n * settings.TestFraction), 1, n - 2);
            var validationCount = n < 3 ? 0 : Math.Clamp((int)Math.Round(n * settings.ValidationFraction), 1, n - testCount - 1);
            var (t, v, x) = Drawn(members, validationCount, testCount, settings.Seed);
            train.AddRange(t);
            validation.AddRange(v);
            test.AddRange(x);
        }

        // Shuffled again so that the classes are mixed in every part (cross-validation folds are runs of the training rows).
        return (Shuffled(train, settings.Seed), Shuffled(validation, settings.Seed), Shuffled(test, settings.Seed));
    }

    private static int[] Shuffled(List<int> rows, int seed)
    {
        var result = rows.Order().ToArray();
        Shuffle(result, seed);
        return result;
    }

    /// <summary>The change of time nearest to <paramref name="target"/> (the earlier on a tie) below <paramref name="below"/>; -1 when none.</summary>
    private static int Nearest(int[] changes, int target, int below) =>
        changes.Where(c => c < below).DefaultIfEmpty(-1).OrderBy(c => Math.Abs(c - target)).ThenBy(c => c).First();

    private static double Key(double time) => double.IsNaN(time) ? double.NegativeInfinity : time;

    internal static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    internal static void Shuffle<T>(IList<T> items, int seed)
    {
        var random = new Random(seed);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static DateTime? Time(double seconds) => double.IsNaN(seconds)
        ? null
        : DateTime.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    /// <summary>Per row: whether it has a label, its event time (null without one) and its label as text (for stratifying).</summary>
    private static (bool[] Known, double[]? Times, string?[] Labels) ReadLabels(CompiledRules rules, RawTable data)
    {
        var known = new bool[data.RowCount];
        var labels = new string?[data.RowCount];
        if (data.RowCount == 0)
        {
            return (known, null, labels);
        }

        var view = rules.Fit(data).Transform(data);
        var hasTime = view.Schema.GetColumnOrNull(RuleCompiler.EventTimeColumn) is not null;
        var times = hasTime ? new double[data.RowCount] : null;
        var display = view.Schema[rules.Label.DisplayColumn];
        var columns = new List<DataViewSchema.Column> { view.Schema[rules.Label.KnownColumn], display };
        if (hasTime)
        {
            columns.Add(view.Schema[RuleCompiler.EventTimeColumn]);
        }

        using var cursor = view.OpenSerialCursor(columns);
        var getKnown = cursor.GetGetter<bool>(view.Schema[rules.Label.KnownColumn]);
        var getTime = hasTime ? cursor.GetGetter<double>(view.Schema[RuleCompiler.EventTimeColumn]) : null;
        var getLabel = LabelText(cursor, display);
        var row = 0;
        bool flag = false;
        double time = 0;
        while (cursor.MoveNext())
        {
            getKnown(ref flag);
            known[row] = flag;
            labels[row] = getLabel();
            if (getTime is not null)
            {
                getTime(ref time);
                times![row] = time;
            }

            row++;
        }

        return (known, times, labels);
    }

    private static Func<string?> LabelText(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case BooleanDataViewType:
            {
                var get = cursor.GetGetter<bool>(column);
                var value = false;
                return () => { get(ref value); return value ? "1" : "0"; };
            }
            case TextDataViewType:
            {
                var get = cursor.GetGetter<ReadOnlyMemory<char>>(column);
                var value = default(ReadOnlyMemory<char>);
                return () => { get(ref value); return value.ToString(); };
            }
            default:
                return () => null; // a regression label: not stratified
        }
    }
}
