namespace ControlPlane.ML.Rules;

/// <summary>Candidate raw columns for one target, best first. Target is "label", "entityKey", "eventTime" or a feature name.</summary>
public sealed record MappingSuggestion(string Target, FeatureType? Type, IReadOnlyList<MappingCandidate> Candidates);

/// <param name="Score">0–1; how sure the assistant is.</param>
/// <param name="Reason">Why, for the user: "synonym of 'company_size'", "same type, similar name".</param>
public sealed record MappingCandidate(string Column, double Score, string Reason);

public static class MappingAssistant
{
    // CONTRACT STUB — replaced by the real assistant (names, synonyms, types).
    public static IReadOnlyList<MappingSuggestion> Suggest(RuleDefaults defaults, IReadOnlyList<RawColumn> columns) => [];
}
