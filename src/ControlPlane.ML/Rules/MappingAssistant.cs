namespace ControlPlane.ML.Rules;

/// <summary>Candidate raw columns for one target, best first. Target is "label", "entityKey", "eventTime" or a feature name.</summary>
public sealed record MappingSuggestion(string Target, FeatureType? Type, IReadOnlyList<MappingCandidate> Candidates);

/// <param name="Score">0–1; how sure the assistant is.</param>
/// <param name="Reason">Why, for the user: "synonym of 'company_size'", "same type, similar name".</param>
public sealed record MappingCandidate(string Column, double Score, string Reason);

/// <summary>
/// Suggests which raw column feeds the label, the entity key, the event time and each feature of a use case: by name
/// (any naming style, a tenant-wide prefix ignored, known synonyms, shared words) weighed by type (a number feature
/// prefers number columns, the event time date-time columns). Columns are then given out greedily, best score first,
/// so each is the first choice of at most one target; the other candidates follow as alternatives.
/// </summary>
public static class MappingAssistant
{
    /// <summary>Below this a pairing is not worth showing.</summary>
    public const double MinScore = 0.12;

    private const int MaxCandidates = 4;

    private const double LeftoverScore = 0.2;

    public static IReadOnlyList<MappingSuggestion> Suggest(RuleDefaults defaults, IReadOnlyList<RawColumn> columns) =>
        Suggest(defaults, columns, MappingSynonyms.Phrases);

    /// <param name="synonyms">
    /// Canonical column → names tenants use for it (snake_case). The built-in table knows the built-in use cases; a custom
    /// use case brings its own, or an empty one to match on words and types alone.
    /// </param>
    public static IReadOnlyList<MappingSuggestion> Suggest(
        RuleDefaults defaults, IReadOnlyList<RawColumn> columns, IReadOnlyDictionary<string, string[]> synonyms)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(synonyms);
        var targets = MappingTarget.All(defaults, synonyms);
        var named = MappingColumn.All(columns);
        var scored = targets.Select(t => named.Select(c => MappingScore.Of(t, c, named)).Where(s => s.Score >= MinScore)
            .OrderByDescending(s => s.Score).ToList()).ToArray();

        var chosen = Assign(scored);
        AssignLeftovers(targets, named, scored, chosen);
        OfferEventTime(targets, scored, chosen);
        return targets.Select((t, i) =>
        {
            var first = chosen.GetValueOrDefault(i);
            var rest = scored[i].Where(s => s != first).Take(first is null ? MaxCandidates : MaxCandidates - 1);
            var candidates = (first is null ? rest : rest.Prepend(first))
                .Select(s => new MappingCandidate(s.Column.Name, Math.Round(s.Score, 3), s.Reason)).ToArray();
            return new MappingSuggestion(t.Name, t.Type, candidates);
        }).ToArray();
    }

    /// <summary>
    /// A target nothing resembles gets the one column still free with exactly its type, when there is only one: after
    /// the others are mapped, that is usually it. Repeats while it finds some.
    /// </summary>
    private static void AssignLeftovers(
        IReadOnlyList<MappingTarget> targets, IReadOnlyList<MappingColumn> columns, List<MappingScore>[] scored, Dictionary<int, MappingScore> chosen)
    {
        for (var found = true; found;)
        {
            found = false;
            var used = chosen.Values.Select(s => s.Column.Name).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < targets.Count; i++)
            {
                var free = columns.Where(c => !used.Contains(c.Name) && targets[i].TypeFit(c.Raw.Type) >= 1).Take(2).ToArray();
                if (chosen.ContainsKey(i) || free.Length != 1)
                {
                    continue;
                }

                var score = new MappingScore(free[0], LeftoverScore, $"the only column left that holds {MappingScore.Describe(free[0].Raw.Type)}");
                scored[i].Insert(0, score);
                chosen[i] = score;
                used.Add(free[0].Name);
                found = true;
            }
        }
    }

    /// <summary>
    /// A date-time feature no column was found for may read the event-time column (the day of week or the season of the
    /// event): it is offered as that feature's first choice, though the event time keeps it too.
    /// </summary>
    private static void OfferEventTime(IReadOnlyList<MappingTarget> targets, List<MappingScore>[] scored, Dictionary<int, MappingScore> chosen)
    {
        var eventTime = Enumerable.Range(0, targets.Count).FirstOrDefault(i => targets[i].Role == MappingTarget.Kind.EventTime, -1);
        if (eventTime < 0 || !chosen.TryGetValue(eventTime, out var column))
        {
            return;
        }

        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i] is { Role: MappingTarget.Kind.Feature, Type: FeatureType.DateTime } && !chosen.ContainsKey(i))
            {
                var offer = new MappingScore(column.Column, LeftoverScore, "the event-time column: a date-time feature may read it too");
                scored[i].Insert(0, offer);
                chosen[i] = offer;
            }
        }
    }

    /// <summary>Best pairs first; a target or column already given out is skipped.</summary>
    private static Dictionary<int, MappingScore> Assign(IReadOnlyList<List<MappingScore>> scored)
    {
        var pairs = scored.SelectMany((list, target) => list.Select(s => (Target: target, Score: s)))
            .OrderByDescending(p => p.Score.Score).ThenBy(p => p.Target);
        var chosen = new Dictionary<int, MappingScore>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (target, score) in pairs)
        {
            if (!chosen.ContainsKey(target) && used.Add(score.Column.Name))
            {
                chosen[target] = score;
            }
        }

        return chosen;
    }
}
