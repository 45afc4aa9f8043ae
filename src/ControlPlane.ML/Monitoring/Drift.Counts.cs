namespace ControlPlane.ML.Monitoring;

/// <summary>
/// A column's values counted into its baseline's bins (numbers and token counts: the baseline's edges; categories: its
/// categories, "(other)", "(unseen)"): what a day of scored rows is kept as, so any two periods compare by adding days
/// (decision 0047). Counts add; the statistics of <see cref="Drift.Compare"/> are those of a drift window.
/// </summary>
public sealed record BinCounts(long Rows, long Missing, long[] Counts)
{
    public static BinCounts Sum(IEnumerable<BinCounts> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        long rows = 0, missing = 0;
        long[]? counts = null;
        foreach (var day in days)
        {
            counts ??= new long[day.Counts.Length];
            if (day.Counts.Length != counts.Length)
            {
                throw new ArgumentException($"days counted into {counts.Length} and {day.Counts.Length} bins cannot be added", nameof(days));
            }

            rows += day.Rows;
            missing += day.Missing;
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] += day.Counts[i];
            }
        }

        return new BinCounts(rows, missing, counts ?? []);
    }
}

public static partial class Drift
{
    /// <summary>A number column (or the model's scores) counted into the baseline's bins.</summary>
    public static BinCounts CountNumbers(FeatureBaseline baseline, ReadOnlySpan<double> values)
    {
        var (edges, _) = Bins(baseline, BaselineKind.Number);
        var counts = Binning.Count(edges, values, out var missing);
        return new BinCounts(values.Length, missing, counts);
    }

    /// <summary>A category column counted into the baseline's categories, "(other)" and "(unseen)"; a text column by its token counts.</summary>
    public static BinCounts CountTexts(FeatureBaseline baseline, IReadOnlyList<string?> values)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(values);
        if (baseline.Kind == BaselineKind.Text)
        {
            var (edges, _) = Bins(baseline, BaselineKind.Text);
            var lengths = values.Select(v => string.IsNullOrWhiteSpace(v) ? double.NaN : TextTokens.Count(v, _ => { })).ToArray();
            var lengthCounts = Binning.Count(edges, lengths, out var missingText);
            return new BinCounts(values.Count, missingText, lengthCounts);
        }

        var (labels, index, _, unknown) = CategoryBins(baseline);
        var counts = new long[labels.Length];
        long missing = 0;
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                missing++;
            }
            else
            {
                counts[index.TryGetValue(value, out var bin) ? bin : unknown]++;
            }
        }

        return new BinCounts(values.Count, missing, counts);
    }

    /// <summary>
    /// A period's counts compared with a reference: the training baseline's own counts when <paramref name="reference"/>
    /// is null, else another period's counts in the same bins. The same PSI with its interval and the same test (KS on the
    /// binned distribution for numbers and token counts, chi-square for categories) as a drift window; a text's
    /// vocabulary is not compared (days keep its token counts only).
    /// </summary>
    public static FeatureDrift Compare(FeatureBaseline baseline, BinCounts? reference, BinCounts current, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        if (baseline.Kind == BaselineKind.Category)
        {
            var (labels, _, trainingCounts, _) = CategoryBins(baseline);
            var referenceCounts = Reference(reference, trainingCounts, labels.Length, baseline.Feature);
            var counts = Fit(current, labels.Length, baseline.Feature);
            return Judge(baseline, current.Rows, current.Missing, labels, referenceCounts, counts, thresholds, "chi-square", () =>
            {
                var (chi, df, p) = DriftStatistics.ChiSquare(referenceCounts, counts);
                return df < 1 ? null : (chi, p, $"df {df}");
            });
        }

        var (edges, baselineCounts) = Bins(baseline, baseline.Kind);
        var bins = edges.Count + 1;
        var expected = Reference(reference, baselineCounts, bins, baseline.Feature);
        var counted = Fit(current, bins, baseline.Feature);
        return Judge(baseline, current.Rows, current.Missing, Binning.Labels(edges), expected, counted, thresholds, "ks", () => Ks(edges, expected, counted));
    }

    private static IReadOnlyList<long> Reference(BinCounts? reference, IReadOnlyList<long> training, int bins, string feature) =>
        reference is null ? training : Fit(reference, bins, feature);

    private static long[] Fit(BinCounts counts, int bins, string feature) => counts.Counts.Length == bins
        ? counts.Counts
        : throw new ArgumentException($"'{feature}' was counted into {counts.Counts.Length} bins; its baseline has {bins}", nameof(counts));

    /// <summary>
    /// A category baseline's bins: its categories by frequency, "(other)" (the rare training categories), "(unseen)";
    /// where each known value goes; the training counts; and the bin of a value not in the index — "(unseen)", or
    /// "(other)" when the baseline did not keep the rare categories' names (such a value may be one of them).
    /// </summary>
    private static (string[] Labels, Dictionary<string, int> Index, long[] Counts, int Unknown) CategoryBins(FeatureBaseline baseline)
    {
        if (baseline.Kind != BaselineKind.Category || baseline.Categories is null)
        {
            throw new ArgumentException($"baseline of '{baseline.Feature}' is a {baseline.Kind} baseline without categories", nameof(baseline));
        }

        var categories = baseline.Categories.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(categories.Length + (baseline.OtherNames?.Count ?? 0), StringComparer.Ordinal);
        for (var i = 0; i < categories.Length; i++)
        {
            index[categories[i].Key] = i;
        }

        var other = categories.Length;
        foreach (var name in baseline.OtherNames ?? [])
        {
            index.TryAdd(name, other);
        }

        var labels = categories.Select(c => c.Key).Append(OtherBin).Append(UnseenBin).ToArray();
        long[] counts = [.. categories.Select(c => c.Value), baseline.Other, 0];
        return (labels, index, counts, baseline.OtherNames is null ? other : other + 1);
    }
}
