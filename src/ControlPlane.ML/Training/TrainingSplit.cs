using System.Globalization;
using ControlPlane.ML.Rules;
using Microsoft.ML;

namespace ControlPlane.ML.Training;

/// <summary>
/// The train/test split of labelled rows: ordered by event time when the rules map one (the newest
/// <see cref="TrainingSettings.TestFraction"/> is the test split, so no training row is newer than a test row), else a
/// seeded shuffle. Rows without a label are dropped first. Rows without an event time count as the oldest.
/// </summary>
public sealed record TrainingSplit(RawTable Train, RawTable Test, SplitSummary Summary)
{
    /// <summary>Labelled rows below this cannot give a model worth registering.</summary>
    public const int MinimumRows = 50;

    /// <param name="minimumRows">Labelled rows needed (default <see cref="MinimumRows"/>; at least 2, one per side).</param>
    /// <exception cref="TrainingException">Fewer than <paramref name="minimumRows"/> labelled rows.</exception>
    public static TrainingSplit Make(CompiledRules rules, RawTable data, TrainingSettings settings, int minimumRows = MinimumRows)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        var (known, times) = ReadKnownAndTimes(rules, data);
        var rows = Enumerable.Range(0, data.RowCount).Where(r => known[r]).ToList();
        minimumRows = Math.Max(2, minimumRows);
        if (rows.Count < minimumRows)
        {
            throw new TrainingException(
                $"Only {Count(rows.Count)} of the {Count(data.RowCount)} rows have a label; training needs at least {Count(minimumRows)} labelled rows.");
        }

        var byTime = times is not null && rows.Any(r => !double.IsNaN(times[r]));
        if (byTime)
        {
            // Missing times first (treated as oldest), then by time; ties keep file order so the split is stable.
            rows = rows.OrderBy(r => double.IsNaN(times![r]) ? double.NegativeInfinity : times[r]).ThenBy(r => r).ToList();
        }
        else
        {
            Shuffle(rows, settings.Seed);
        }

        var testCount = Math.Clamp((int)Math.Round(rows.Count * settings.TestFraction), 1, rows.Count - 1);
        var trainRows = rows.Take(rows.Count - testCount).ToArray();
        var testRows = rows.Skip(rows.Count - testCount).ToArray();
        var summary = new SplitSummary(byTime, trainRows.Length, testRows.Length,
            byTime ? Time(trainRows.Select(r => times![r]).Where(t => !double.IsNaN(t)).DefaultIfEmpty(double.NaN).Max()) : null,
            byTime ? Time(times![testRows[0]]) : null);
        return new TrainingSplit(RawTableRows.Select(data, trainRows), RawTableRows.Select(data, testRows), summary);
    }

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

    private static (bool[] Known, double[]? Times) ReadKnownAndTimes(CompiledRules rules, RawTable data)
    {
        var known = new bool[data.RowCount];
        if (data.RowCount == 0)
        {
            return (known, null);
        }

        var view = rules.Fit(data).Transform(data);
        var hasTime = view.Schema.GetColumnOrNull(RuleCompiler.EventTimeColumn) is not null;
        var times = hasTime ? new double[data.RowCount] : null;
        var columns = new List<DataViewSchema.Column> { view.Schema[rules.Label.KnownColumn] };
        if (hasTime)
        {
            columns.Add(view.Schema[RuleCompiler.EventTimeColumn]);
        }

        using var cursor = view.OpenSerialCursor(columns);
        var getKnown = cursor.GetGetter<bool>(view.Schema[rules.Label.KnownColumn]);
        var getTime = hasTime ? cursor.GetGetter<double>(view.Schema[RuleCompiler.EventTimeColumn]) : null;
        var row = 0;
        bool flag = false;
        double time = 0;
        while (cursor.MoveNext())
        {
            getKnown(ref flag);
            known[row] = flag;
            if (getTime is not null)
            {
                getTime(ref time);
                times![row] = time;
            }

            row++;
        }

        return (known, times);
    }
}
