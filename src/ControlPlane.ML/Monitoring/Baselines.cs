namespace ControlPlane.ML.Monitoring;

/// <summary>Builds the training-time summaries that later windows are compared with.</summary>
public static class Baselines
{
    /// <summary>At most this many names of the categories folded into "other" are kept (see <see cref="FeatureBaseline.OtherNames"/>).</summary>
    public const int MaxOtherNames = 1000;

    /// <summary>
    /// Quantile bins of the non-missing values (NaN and ±∞ = missing): edge j is the value at rank ⌈n·j/bins⌉ of the sorted
    /// values (j = 1..bins), duplicates dropped, so heavy ties give fewer, wider bins. With at most
    /// <paramref name="bins"/> distinct values the edges are those values and each bin holds exactly one of them.
    /// </summary>
    public static FeatureBaseline Number(string feature, ReadOnlySpan<double> values, int bins = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var sorted = new double[values.Length];
        var n = 0;
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                sorted[n++] = v;
            }
        }

        Array.Sort(sorted, 0, n);
        var present = sorted.AsSpan(0, n);
        var distinct = DistinctUpTo(present, bins + 1);
        double[] edges;
        if (distinct.Count <= bins)
        {
            edges = [.. distinct];
        }
        else
        {
            var list = new List<double>(bins);
            for (var j = 1; j <= bins; j++)
            {
                var rank = (int)Math.Ceiling((double)n * j / bins) - 1;
                var edge = present[Math.Clamp(rank, 0, n - 1)];
                if (list.Count == 0 || edge > list[^1])
                {
                    list.Add(edge);
                }
            }

            edges = [.. list];
        }

        return new FeatureBaseline
        {
            Feature = feature,
            Kind = BaselineKind.Number,
            Rows = values.Length,
            Missing = values.Length - n,
            Edges = edges,
            Counts = Binning.Count(edges, present, out _),
        };
    }

    /// <summary>
    /// Frequencies of the <paramref name="maxCategories"/> most frequent categories (ties by ordinal name, so the
    /// baseline is the same for the same rows), the rest as one "other" count. Null or blank is missing; values are
    /// compared exactly (case and spacing count, as the rules' category maps see them).
    /// </summary>
    public static FeatureBaseline Category(string feature, IEnumerable<string?> values, int maxCategories = 50)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCategories, 1);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long rows = 0, missing = 0;
        foreach (var value in values)
        {
            rows++;
            if (string.IsNullOrWhiteSpace(value))
            {
                missing++;
                continue;
            }

            counts[value] = counts.GetValueOrDefault(value) + 1;
        }

        var ranked = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        var top = ranked.Take(maxCategories).ToList();
        var rest = ranked.Skip(maxCategories).ToList();
        return new FeatureBaseline
        {
            Feature = feature,
            Kind = BaselineKind.Category,
            Rows = rows,
            Missing = missing,
            Categories = top.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal),
            Other = rest.Sum(c => c.Value),
            OtherNames = rest.Count <= MaxOtherNames ? rest.Select(c => c.Key).ToArray() : null,
        };
    }

    /// <summary>
    /// Token-count bins (as <see cref="Number"/> on each row's token count) and the <paramref name="vocabulary"/> most
    /// frequent tokens with the share of all training tokens they cover. Null or blank is missing.
    /// </summary>
    public static FeatureBaseline Text(string feature, IEnumerable<string?> values, int vocabulary = 200)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 1);
        var lengths = new List<double>();
        var tokens = new Dictionary<string, long>(StringComparer.Ordinal);
        long totalTokens = 0;
        void Add(string token)
        {
            tokens[token] = tokens.GetValueOrDefault(token) + 1;
            totalTokens++;
        }

        foreach (var value in values)
        {
            lengths.Add(string.IsNullOrWhiteSpace(value) ? double.NaN : TextTokens.Count(value, Add));
        }

        var lengthBaseline = Number(feature, lengths.ToArray());
        var top = tokens.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal).Take(vocabulary).ToList();
        return lengthBaseline with
        {
            Kind = BaselineKind.Text,
            Vocabulary = top.Select(t => t.Key).ToArray(),
            VocabularyCoverage = totalTokens == 0 ? 0 : (double)top.Sum(t => t.Value) / totalTokens,
        };
    }

    private static List<double> DistinctUpTo(ReadOnlySpan<double> sorted, int limit)
    {
        var distinct = new List<double>();
        foreach (var v in sorted)
        {
            if (distinct.Count == 0 || v > distinct[^1])
            {
                distinct.Add(v);
                if (distinct.Count >= limit)
                {
                    break;
                }
            }
        }

        return distinct;
    }
}
