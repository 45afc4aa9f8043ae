namespace ControlPlane.ML.Rules;

/// <summary>
/// What the mapping assistant may apply on its own for one target: a column when it is confident, otherwise none and
/// the reason the analyst reads next to the target (<see cref="Why"/>).
/// </summary>
/// <param name="Best">The assistant's first candidate, applied or not; null when no column resembles the target.</param>
public sealed record MappingChoice(string Target, FeatureType? Type, string? Column, MappingCandidate? Best, string Why)
{
    public bool Applied => Column is not null;
}

/// <summary>
/// Which suggestions are safe to apply without asking (issue 18): a first candidate scoring at least
/// <see cref="ConfidentScore"/> — the same name, a usual synonym, the same words in other units, the only date-time
/// column for the event time, a name sharing most of its words, a label-like name for the label — and never a column
/// another target already takes. A 40 % "similar name" is a guess, left for the analyst with its reason. On the demo
/// generator's 2,580 targets matched by words and types alone (no synonym table), matches of 0.6 and above were right in
/// 1,257 of 1,264 (99.4 %) and covered half the targets; below it, 1 in 17 was wrong (decision 0052).
/// </summary>
public static class MappingPlan
{
    public const double ConfidentScore = 0.6;

    public static IReadOnlyList<MappingChoice> Confident(IReadOnlyList<MappingSuggestion> suggestions)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        var choices = new MappingChoice[suggestions.Count];
        // The surest pairs claim their columns first, so a weaker claim on the same column is the one left open.
        foreach (var (s, i) in suggestions.Select((s, i) => (s, i)).OrderByDescending(p => p.s.Candidates.FirstOrDefault()?.Score ?? 0).ThenBy(p => p.i))
        {
            var best = s.Candidates.FirstOrDefault();
            choices[i] = best switch
            {
                null => new(s.Target, s.Type, null, null, "no column of the file resembles it"),
                { Score: < ConfidentScore } => new(s.Target, s.Type, null, best,
                    $"best guess '{best.Column}' at {best.Score:P0} ({best.Reason}) is below the {ConfidentScore:P0} applied without asking: choose yourself"),
                _ when taken.TryGetValue(best.Column, out var other) => new(s.Target, s.Type, null, best,
                    $"'{best.Column}' already feeds '{other}'"),
                _ => new(s.Target, s.Type, best.Column, best, $"{best.Score:P0}: {best.Reason}"),
            };
            if (choices[i].Applied) taken[best!.Column] = s.Target;
        }
        return choices;
    }

    /// <summary>Columns chosen for more than one target, with those targets: one column feeding two inputs is usually a slip.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Shared(IEnumerable<(string Target, string Column)> mapping) =>
        mapping.GroupBy(m => m.Column, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(m => m.Target).ToArray(), StringComparer.Ordinal);
}
