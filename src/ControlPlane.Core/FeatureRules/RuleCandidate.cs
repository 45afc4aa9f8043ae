using ControlPlane.Core.Common;
using ControlPlane.ML.Rules;

namespace ControlPlane.Core.FeatureRules;

/// <summary>
/// Overrides being saved or previewed, parsed and merged onto the use case's defaults, with every problem found so far
/// keyed by rule path. <see cref="Data"/> is the latest dataset version they were checked against, if any.
/// </summary>
internal sealed class RuleCandidate
{
    private RuleCandidate(RuleSet overrides, RuleSet effective, RuleDataset? data)
    {
        Overrides = overrides;
        Effective = effective;
        Data = data;
    }

    public RuleSet Overrides { get; }

    public RuleSet Effective { get; }

    public RuleDataset? Data { get; }

    public ValidationErrors Errors { get; } = new();

    /// <summary>The overrides as stored: <see cref="RuleJson.Write"/> of the parsed rules, so equal rules give equal text.</summary>
    public string Json => RuleJson.Write(Overrides);

    /// <summary>Parses and merges; then the checks that need no data, and those against the dataset's columns.</summary>
    public static RuleCandidate Check(string overridesJson, RuleDefaults defaults, RuleDataset? data)
    {
        // An empty body or the JSON literal null would parse as "no overrides" and silently reset the rules: a client
        // that lost its body must hear so. {} says "the use case's defaults" on purpose.
        if (string.IsNullOrWhiteSpace(overridesJson) || overridesJson.Trim() == "null")
        {
            var empty = new RuleCandidate(new RuleSet(), RuleInheritance.Effective(defaults, new RuleSet()), data);
            empty.Add([new RuleError("json", string.IsNullOrWhiteSpace(overridesJson)
                ? "The rules are empty: send them as a JSON object ({} keeps the use case's defaults)."
                : "The rules are null: send them as a JSON object ({} keeps the use case's defaults).")]);
            return empty;
        }

        if (!RuleJson.TryParse(overridesJson, out var overrides, out var parseError))
        {
            var unparsed = new RuleCandidate(overrides, RuleInheritance.Effective(defaults, overrides), data);
            unparsed.Add([parseError]);
            return unparsed;
        }

        var candidate = new RuleCandidate(overrides, RuleInheritance.Effective(defaults, overrides), data);
        candidate.Add(RuleSemantics.Check(overrides));
        if (!candidate.Errors.Any && data is not null)
        {
            candidate.Add(RuleChecker.Check(candidate.Effective, defaults.Task, data.Columns, defaults.Features.Select(f => f.Name).ToArray()));
        }

        return candidate;
    }

    public void Add(IEnumerable<RuleError> errors)
    {
        foreach (var error in errors.Distinct())
        {
            Errors.Add(error.Path, error.Message);
        }
    }
}
