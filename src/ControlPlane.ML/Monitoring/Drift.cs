using System.Globalization;

namespace ControlPlane.ML.Monitoring;

/// <summary>
/// Compares a window of current values with a feature's baseline. PSI decides how large a change is; the test (KS for
/// numbers, chi-square for categories) only confirms that it is not sampling noise — see decision 0024: on large
/// windows p-values flag tiny, meaningless differences, on small windows PSI alone is noisy. Decision 0045: the PSI is
/// corrected for what sampling adds and judged by the lower end of its interval, and the features of one window are
/// tested together (<see cref="Together"/>).
/// </summary>
public static partial class Drift
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

        var (labels, index, baselineCounts, unknown) = CategoryBins(baseline);
        var unseen = labels.Length - 1;
        var counts = new long[labels.Length];
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
            var note = Invariant($"{unseenCount:N0} rows ({Percent((double)unseenCount / present)}) have categories the training data never had, e.g. {string.Join(", ", examples.Select(e => $"'{e}'"))}");
            drift = drift with { Reason = Join(drift.Reason, note), Notes = [.. drift.Notes, note] };
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
            "ks", () => Ks(edges, baselineCounts, counts));
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
        return drift with
        {
            Status = status, Reason = Join(drift.Reason, reason), OutOfVocabulary = oov, Notes = [.. drift.Notes, reason],
            VocabularyStatus = drift.Status is DriftStatus.Skipped ? null : vocabularyStatus,
        };
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
        DriftThresholds thresholds, string testName, Func<(double Statistic, double PValue, string? Detail)?> test)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        var problems = thresholds.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(thresholds));
        }

        var baselineShares = DriftStatistics.Shares(baselineCounts);
        var present = rows - missing;
        var baselineEmpty = baselineCounts.All(c => c == 0);
        if (present == 0 || baselineEmpty)
        {
            var why = baselineEmpty ? "the training data had no values for this feature"
                : rows == 0 ? "no rows in this window"
                : Invariant($"all {rows:N0} rows in this window are missing");
            return new FeatureDrift(baseline.Feature, baseline.Kind, rows, missing, null, null, null, null, DriftStatus.NoData, why,
                labels, baselineShares, new double[labels.Length]) { Rule = baseline.Rule };
        }

        var currentShares = DriftStatistics.Shares(counts);
        var (coarseBaseline, coarseCurrent) = Coarsen(baselineCounts, counts, present, ordered: baseline.Kind != BaselineKind.Category);
        var psi = PsiEstimate.Of(coarseBaseline, coarseCurrent);
        if (present < thresholds.MinRows)
        {
            return new FeatureDrift(baseline.Feature, baseline.Kind, rows, missing, psi.Value, null, null, null, DriftStatus.Skipped,
                Invariant($"only {present:N0} rows; tests need at least {thresholds.MinRows:N0}"), labels, baselineShares, currentShares)
            {
                Estimate = psi, Rule = baseline.Rule,
            };
        }

        var result = test();
        var drift = new FeatureDrift(baseline.Feature, baseline.Kind, rows, missing, psi.Value, result is null ? null : testName,
            result?.Statistic, result?.PValue, DriftStatus.Ok, null, labels, baselineShares, currentShares)
        {
            Estimate = psi, Rule = baseline.Rule, TestDetail = result?.Detail, AdjustedPValue = result?.PValue, TestName = testName,
        };
        return Decide(drift, thresholds, family: 1);
    }

    /// <summary>
    /// The features of one window judged together: their p-values adjusted by Holm's method over the features that were
    /// tested, so that flagging one of many is no likelier than flagging one alone, then each decided again
    /// (<see cref="Decide"/>). Features with no data, too few rows or no test keep their status.
    /// </summary>
    public static IReadOnlyList<FeatureDrift> Together(IReadOnlyList<FeatureDrift> features, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(features);
        var tested = features.Select((f, i) => (f, i)).Where(x => x.f.Estimate is not null && x.f.PValue is not null
            && x.f.Status is not (DriftStatus.NoData or DriftStatus.Skipped)).ToList();
        if (tested.Count < 2)
        {
            return features;
        }

        var adjusted = DriftStatistics.Holm(tested.Select(x => x.f.PValue!.Value).ToArray());
        var result = features.ToArray();
        for (var k = 0; k < tested.Count; k++)
        {
            var (feature, index) = tested[k];
            result[index] = Decide(feature with { AdjustedPValue = adjusted[k] }, thresholds, tested.Count);
        }

        return result;
    }

    /// <summary>
    /// A judged feature's status from both the size of the change and its significance: when the test (adjusted over the
    /// <paramref name="family"/> features tested together) rejects at <see cref="DriftThresholds.PValue"/>, drift when
    /// the corrected PSI is at or above <see cref="DriftThresholds.PsiDrift"/> and the lower end of its 90 % interval at
    /// or above <see cref="DriftThresholds.PsiWarning"/>, warning when the corrected PSI is at or above the warning line;
    /// otherwise ok — so a small window cannot flag on a weak difference, and a large one cannot flag on a tiny one. A category's unseen values and a text's vocabulary keep
    /// their notes (the vocabulary is judged on its own PSI and can only make the status worse).
    /// </summary>
    private static FeatureDrift Decide(FeatureDrift drift, DriftThresholds thresholds, int family)
    {
        var psi = drift.Estimate!;
        var present = drift.Rows - drift.Missing;
        var subject = drift.Kind == BaselineKind.Text ? "token counts" : "distribution";
        var effect = Invariant($"PSI {psi.Value:0.000} (90% interval {psi.Low:0.000}–{psi.High:0.000})");
        string? testText = null;
        var significant = true;
        if (drift.PValue is { } p && drift.TestName is { } name)
        {
            var adjusted = drift.AdjustedPValue ?? p;
            significant = adjusted < thresholds.PValue;
            testText = Invariant($"{name} {drift.Statistic:0.####}{(drift.TestDetail is null ? "" : $" ({drift.TestDetail})")}, p = {p:0.####}")
                + (family > 1 ? Invariant($" ({adjusted:0.####} adjusted over {family} features)") : "");
        }

        var notTested = testText is null ? $"; {drift.TestName} not applicable (fewer than two cells with enough expected rows)" : "";
        var (status, reason) = psi switch
        {
            _ when significant && psi.Value >= thresholds.PsiDrift && psi.Low >= thresholds.PsiWarning => (DriftStatus.Drift, testText is null
                ? Invariant($"{effect} of the {subject} is above {thresholds.PsiDrift}{notTested}")
                : Invariant($"{effect} of the {subject} is above {thresholds.PsiDrift} and {testText} confirms it")),
            _ when significant && psi.Value >= thresholds.PsiWarning => (DriftStatus.Warning, Invariant($"{effect} of the {subject} is above {thresholds.PsiWarning}")
                + (psi.Value >= thresholds.PsiDrift ? Invariant($", but its interval reaches below {thresholds.PsiWarning} ({present:N0} rows)") : "")
                + (testText is null ? notTested : "; " + testText)),
            _ when !significant && psi.Raw >= thresholds.PsiWarning => (DriftStatus.Ok,
                Invariant($"{effect} of the {subject}: {testText} does not confirm a change at {thresholds.PValue} ({present:N0} rows), so it is likely sampling noise")),
            _ when psi.Raw >= thresholds.PsiWarning => (DriftStatus.Ok,
                Invariant($"{effect} of the {subject}: the raw PSI {psi.Raw:0.000} is mostly what sampling {present:N0} rows adds, so the change is small")),
            _ when testText is not null && significant => (DriftStatus.Ok, Invariant($"{effect} of the {subject} is small; {testText} is significant, but a change this small is not drift")),
            _ => (DriftStatus.Ok, (string?)null),
        };
        if (drift.VocabularyStatus is { } vocabulary)
        {
            status = Worse(status, vocabulary);
        }

        foreach (var note in drift.Notes)
        {
            reason = Join(reason, note);
        }

        return drift with { Status = status, Reason = reason };
    }

    /// <summary>
    /// The bins PSI is measured over: the baseline's, merged until each expects at least <see cref="MinExpectedRows"/> of
    /// the window's rows. With 100 rows over 20 bins a bin expects 5, and a bin that happens to stay empty adds about
    /// 0.3 to the PSI on its own (its share is taken as 10⁻⁴): PSI then measures the window's size, not a change.
    /// Ordered bins (numbers, token counts) merge with their neighbours; categories fold into the last regular bin
    /// ("other"). A bin the training data never filled (beyond its range, unseen categories) is never merged away.
    /// </summary>
    internal static (long[] Baseline, long[] Current) Coarsen(IReadOnlyList<long> baseline, IReadOnlyList<long> current, long rows, bool ordered)
    {
        var total = baseline.Sum();
        if (total == 0 || rows == 0)
        {
            return (baseline.ToArray(), current.ToArray());
        }

        double Expected(long count) => (double)count / total * rows;
        var (mergedBaseline, mergedCurrent) = (new List<long>(), new List<long>());
        if (!ordered)
        {
            // Categories: [categories by frequency…, other, unseen]; fold the rare ones into other.
            long otherBaseline = baseline[^2], otherCurrent = current[^2];
            for (var i = 0; i < baseline.Count - 2; i++)
            {
                if (Expected(baseline[i]) >= MinExpectedRows)
                {
                    mergedBaseline.Add(baseline[i]);
                    mergedCurrent.Add(current[i]);
                }
                else
                {
                    otherBaseline += baseline[i];
                    otherCurrent += current[i];
                }
            }

            mergedBaseline.AddRange([otherBaseline, baseline[^1]]);
            mergedCurrent.AddRange([otherCurrent, current[^1]]);
            return ([.. mergedBaseline], [.. mergedCurrent]);
        }

        long b = 0, c = 0;
        for (var i = 0; i < baseline.Count; i++)
        {
            if (baseline[i] == 0)
            {
                // Never filled in training: kept on its own, after closing what was being gathered.
                if (b > 0 || c > 0)
                {
                    mergedBaseline.Add(b);
                    mergedCurrent.Add(c);
                    (b, c) = (0, 0);
                }

                mergedBaseline.Add(0);
                mergedCurrent.Add(current[i]);
                continue;
            }

            b += baseline[i];
            c += current[i];
            if (Expected(b) >= MinExpectedRows)
            {
                mergedBaseline.Add(b);
                mergedCurrent.Add(c);
                (b, c) = (0, 0);
            }
        }

        if (b > 0 || c > 0)
        {
            // A short last group joins the previous filled bin.
            var last = mergedBaseline.FindLastIndex(x => x > 0);
            if (last < 0)
            {
                mergedBaseline.Add(b);
                mergedCurrent.Add(c);
            }
            else
            {
                mergedBaseline[last] += b;
                mergedCurrent[last] += c;
            }
        }

        return ([.. mergedBaseline], [.. mergedCurrent]);
    }

    /// <summary>Each bin PSI is measured over expects at least this many of the window's rows (<see cref="Coarsen"/>).</summary>
    public const int MinExpectedRows = 10;

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

    private static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static DriftStatus Worse(DriftStatus a, DriftStatus b) => (DriftStatus)Math.Max((int)a, (int)b);

    private static string? Join(string? a, string b) => a is null ? b : $"{a}; {b}";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
