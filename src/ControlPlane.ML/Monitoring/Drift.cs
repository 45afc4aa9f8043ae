using System.Globalization;

namespace ControlPlane.ML.Monitoring;

/// <summary>
/// Compares a window of current values with a feature's baseline. PSI decides how large a change is; the test (KS for
/// numbers, chi-square for categories) only confirms that it is not sampling noise — see decision 0024: on large
/// windows p-values flag tiny, meaningless differences, on small windows PSI alone is noisy.
/// </summary>
public static class Drift
{
    public const string OtherBin = "(other)";
    public const string UnseenBin = "(unseen)";
    private const int UnseenExampleCount = 5;

    public static FeatureDrift Number(FeatureBaseline baseline, ReadOnlySpan<double> current, DriftThresholds thresholds)
    {
        var (edges, baselineCounts) = Bins(baseline, BaselineKind.Number);
        var counts = Binning.Count(edges, current, out var missing);
        return Judge(baseline, current.Length, missing, Binning.Labels(edges), baselineCounts, counts, thresholds,
            "ks", () => Ks(edges, baselineCounts, counts));
    }

    public static FeatureDrift Category(FeatureBaseline baseline, IEnumerable<string?> current, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
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
        var unseen = other + 1;
        foreach (var name in baseline.OtherNames ?? [])
        {
            index.TryAdd(name, other);
        }

        // Without the names of the rare training categories an unknown value may be one of them: count it as "other".
        var unknown = baseline.OtherNames is null ? other : unseen;
        var counts = new long[categories.Length + 2];
        var unseenValues = new Dictionary<string, long>(StringComparer.Ordinal);
        long rows = 0, missing = 0;
        foreach (var value in current)
        {
            rows++;
            if (string.IsNullOrWhiteSpace(value))
            {
                missing++;
            }
            else if (index.TryGetValue(value, out var bin))
            {
                counts[bin]++;
            }
            else
            {
                counts[unknown]++;
                if (unknown == unseen)
                {
                    unseenValues[value] = unseenValues.GetValueOrDefault(value) + 1;
                }
            }
        }

        var labels = categories.Select(c => c.Key).Append(OtherBin).Append(UnseenBin).ToArray();
        long[] baselineCounts = [.. categories.Select(c => c.Value), baseline.Other, 0];
        var examples = unseenValues.OrderByDescending(u => u.Value).ThenBy(u => u.Key, StringComparer.Ordinal)
            .Take(UnseenExampleCount).Select(u => u.Key).ToArray();
        var drift = Judge(baseline, rows, missing, labels, baselineCounts, counts, thresholds, "chi-square", () =>
        {
            var (chi, df, p) = DriftStatistics.ChiSquare(baselineCounts, counts);
            return df < 1 ? null : (chi, p, $"df {df}");
        });
        var unseenCount = counts[unseen];
        if (unseenCount > 0 && drift.Status is not DriftStatus.NoData)
        {
            var present = rows - missing;
            drift = drift with
            {
                Reason = Join(drift.Reason, Invariant($"{unseenCount:N0} rows ({Percent((double)unseenCount / present)}) have categories the training data never had, e.g. {string.Join(", ", examples.Select(e => $"'{e}'"))}")),
            };
        }

        return drift with { Unseen = unseenCount, UnseenExamples = examples };
    }

    public static FeatureDrift Text(FeatureBaseline baseline, IEnumerable<string?> current, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(current);
        var (edges, baselineCounts) = Bins(baseline, BaselineKind.Text);
        var vocabulary = new HashSet<string>(baseline.Vocabulary ?? [], StringComparer.Ordinal);
        long tokens = 0, outside = 0;
        void Token(string token)
        {
            tokens++;
            if (!vocabulary.Contains(token))
            {
                outside++;
            }
        }

        var lengths = current.Select(v => string.IsNullOrWhiteSpace(v) ? double.NaN : TextTokens.Count(v, Token)).ToArray();
        var counts = Binning.Count(edges, lengths, out var missing);
        var drift = Judge(baseline, lengths.Length, missing, Binning.Labels(edges), baselineCounts, counts, thresholds,
            "ks", () => Ks(edges, baselineCounts, counts), subject: "token counts");
        if (drift.Status is DriftStatus.NoData || tokens == 0)
        {
            return drift;
        }

        // The vocabulary is judged as a two-bin PSI (in / out of the training vocabulary) with the same thresholds.
        var oov = (double)outside / tokens;
        var expectedOov = 1 - baseline.VocabularyCoverage;
        var vocabularyPsi = DriftStatistics.Psi([1 - expectedOov, expectedOov], [1 - oov, oov]);
        var vocabularyStatus = vocabularyPsi >= thresholds.PsiDrift ? DriftStatus.Drift
            : vocabularyPsi >= thresholds.PsiWarning ? DriftStatus.Warning : DriftStatus.Ok;
        var status = drift.Status is DriftStatus.Skipped ? DriftStatus.Skipped : Worse(drift.Status, vocabularyStatus);
        var reason = Invariant($"{Percent(oov)} of the window's {tokens:N0} tokens are outside the training vocabulary (training: {Percent(expectedOov)}; vocabulary PSI {vocabularyPsi:0.000})");
        return drift with { Status = status, Reason = Join(drift.Reason, reason), OutOfVocabulary = oov };
    }

    /// <summary>
    /// Dataset level: drifting when at least <see cref="DriftThresholds.DatasetDriftShare"/> of the judged features drift.
    /// Features with no data or too few rows for a test are not judged, so they count neither way.
    /// </summary>
    public static (bool Drifting, double Share) Dataset(IReadOnlyList<FeatureDrift> features, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(features);
        var judged = features.Count(f => f.Status is not (DriftStatus.NoData or DriftStatus.Skipped));
        if (judged == 0)
        {
            return (false, 0);
        }

        var share = (double)features.Count(f => f.Status == DriftStatus.Drift) / judged;
        return (share >= thresholds.DatasetDriftShare, share);
    }

    private static FeatureDrift Judge(
        FeatureBaseline baseline, long rows, long missing, string[] labels, IReadOnlyList<long> baselineCounts, long[] counts,
        DriftThresholds thresholds, string testName, Func<(double Statistic, double PValue, string? Detail)?> test, string subject = "distribution")
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var problems = thresholds.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(thresholds));
        }

        var baselineShares = Shares(baselineCounts);
        var present = rows - missing;
        var baselineEmpty = baselineCounts.All(c => c == 0);
        if (present == 0 || baselineEmpty)
        {
            var why = baselineEmpty ? "the training data had no values for this feature"
                : rows == 0 ? "no rows in this window"
                : Invariant($"all {rows:N0} rows in this window are missing");
            return new FeatureDrift(baseline.Feature, baseline.Kind, rows, missing, null, null, null, null, DriftStatus.NoData, why,
                labels, baselineShares, new double[labels.Length]);
        }

        var currentShares = Shares(counts);
        var psi = DriftStatistics.Psi(baselineShares, currentShares);
        if (present < thresholds.MinRows)
        {
            return new FeatureDrift(baseline.Feature, baseline.Kind, rows, missing, psi, null, null, null, DriftStatus.Skipped,
                Invariant($"only {present:N0} rows; tests need at least {thresholds.MinRows:N0}"), labels, baselineShares, currentShares);
        }

        var result = test();
        if (result is null)
        {
            var byPsi = psi >= thresholds.PsiDrift ? DriftStatus.Drift : psi >= thresholds.PsiWarning ? DriftStatus.Warning : DriftStatus.Ok;
            return new FeatureDrift(baseline.Feature, baseline.Kind, rows, missing, psi, null, null, null, byPsi,
                Invariant($"PSI {psi:0.000} of the {subject}; {testName} not applicable (fewer than two cells with enough expected rows)"), labels, baselineShares, currentShares);
        }

        var (statistic, p, detail) = result.Value;
        var testText = Invariant($"{testName} {statistic:0.####}{(detail is null ? "" : $" ({detail})")}, p = {p:0.####}");
        var significant = p < thresholds.PValue;
        var (status, reason) = psi switch
        {
            _ when psi >= thresholds.PsiDrift && significant => (DriftStatus.Drift, Invariant($"PSI {psi:0.000} of the {subject} is above {thresholds.PsiDrift} and {testText} confirms it")),
            _ when psi >= thresholds.PsiDrift => (DriftStatus.Warning, Invariant($"PSI {psi:0.000} of the {subject} is above {thresholds.PsiDrift} but {testText} does not confirm it at {thresholds.PValue} ({present:N0} rows): possibly sampling noise")),
            _ when psi >= thresholds.PsiWarning => (DriftStatus.Warning, Invariant($"PSI {psi:0.000} of the {subject} is above {thresholds.PsiWarning}; {testText}")),
            _ when significant => (DriftStatus.Ok, Invariant($"PSI {psi:0.000} of the {subject} is small; {testText} is significant, but a change this small is not drift")),
            _ => (DriftStatus.Ok, (string?)null),
        };
        return new FeatureDrift(baseline.Feature, baseline.Kind, rows, missing, psi, testName, statistic, p, status, reason, labels, baselineShares, currentShares);
    }

    private static (double, double, string?)? Ks(IReadOnlyList<double> edges, IReadOnlyList<long> baselineCounts, long[] counts)
    {
        var (d, p) = DriftStatistics.KolmogorovSmirnovBinned(edges, baselineCounts, counts);
        return (d, p, null);
    }

    private static (IReadOnlyList<double> Edges, IReadOnlyList<long> Counts) Bins(FeatureBaseline baseline, BaselineKind kind)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        if (baseline.Kind != kind || baseline.Edges is null || baseline.Counts is null || baseline.Counts.Count != baseline.Edges.Count + 1)
        {
            throw new ArgumentException($"baseline of '{baseline.Feature}' is not a {kind} baseline with edges and one more count than edges", nameof(baseline));
        }

        return (baseline.Edges, baseline.Counts);
    }

    private static double[] Shares(IReadOnlyList<long> counts)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        var shares = new double[counts.Count];
        for (var i = 0; i < shares.Length && total > 0; i++)
        {
            shares[i] = (double)counts[i] / total;
        }

        return shares;
    }

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static DriftStatus Worse(DriftStatus a, DriftStatus b) => (DriftStatus)Math.Max((int)a, (int)b);

    private static string? Join(string? a, string b) => a is null ? b : $"{a}; {b}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
