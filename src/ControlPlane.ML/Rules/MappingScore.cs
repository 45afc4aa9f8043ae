namespace ControlPlane.ML.Rules;

/// <summary>How well one raw column fits one target, and why: a name score (0–1) times how well the column's type fits.</summary>
internal sealed record MappingScore(MappingColumn Column, double Score, string Reason)
{
    private static readonly Dictionary<string, int> WordGroup = MappingSynonyms.Words
        .SelectMany((group, i) => group.Select(w => (Word: w, Group: i)))
        .GroupBy(p => p.Word, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Group, StringComparer.Ordinal);

    public static MappingScore Of(MappingTarget target, MappingColumn column, IReadOnlyList<MappingColumn> all)
    {
        var (name, reason) = NameScore(target, column, all);
        var fit = target.TypeFit(column.Raw.Type);
        if (fit < 1 && name > 0)
        {
            reason += $", but it holds {Describe(column.Raw.Type)}";
        }

        return new MappingScore(column, name * fit, reason);
    }

    private static (double Score, string Reason) NameScore(MappingTarget target, MappingColumn column, IReadOnlyList<MappingColumn> all)
    {
        var key = ColumnNameTokens.Key(column.Words);
        if (key == ColumnNameTokens.Key(target.Words))
        {
            return (1, $"same name as '{target.Canonical}'");
        }

        if (target.Phrases.Skip(1).FirstOrDefault(p => ColumnNameTokens.Key(p.Words) == key) is { Phrase: { } synonym })
        {
            return (0.92, $"'{synonym}' is a usual name for '{target.Canonical}'");
        }

        var core = ColumnNameTokens.Key(column.Core);
        if (target.Phrases.FirstOrDefault(p => ColumnNameTokens.Key(MappingSynonyms.WithoutUnits(p.Words)) == core) is { Phrase: { } inUnits })
        {
            return (0.85, $"'{inUnits}' in other units: check the scale");
        }

        var (best, like) = target.Phrases.Select(p => (Score: Similarity(MappingSynonyms.WithoutUnits(p.Words), column.Core), p.Phrase))
            .MaxBy(p => p.Score);
        var score = best >= 0.3 ? 0.75 * best : 0;
        var why = $"similar name to '{like}'";
        return target.Role switch
        {
            MappingTarget.Kind.EntityKey when score < 0.5 && MappingSynonyms.IdentifierWords.Contains(column.Words[^1]) =>
                (0.5, "named like an identifier"),
            MappingTarget.Kind.Label when score < 0.6 && column.Words.Any(MappingSynonyms.LabelWords.Contains) =>
                (0.6, "named like a label"),
            MappingTarget.Kind.EventTime when score < 0.7 && column.Raw.Type == FeatureType.DateTime =>
                all.Count(c => c.Raw.Type == FeatureType.DateTime) == 1 ? (0.7, "the only date-time column") : (Math.Max(score, 0.3), "a date-time column"),
            _ => (score, why),
        };
    }

    /// <summary>Dice similarity of two word lists where a word counts 1 when equal and 0.8 when it means the same.</summary>
    private static double Similarity(string[] a, string[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var matched = a.Sum(w => b.Max(v => Match(w, v))) + b.Sum(w => a.Max(v => Match(w, v)));
        return matched / (a.Length + b.Length);
    }

    private static double Match(string a, string b) =>
        a == b ? 1 : WordGroup.TryGetValue(a, out var ga) && WordGroup.TryGetValue(b, out var gb) && ga == gb ? 0.8 : 0;

    public static string Describe(FeatureType type) => type switch
    {
        FeatureType.Number => "numbers",
        FeatureType.Boolean => "yes/no values",
        FeatureType.DateTime => "date-times",
        FeatureType.Text => "text",
        _ => "categories",
    };
}
