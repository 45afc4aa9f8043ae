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
        // An empty body or the JSON literal null parses as "no overrides" and would silently reset the rules: a client
        // that lost its body must hear so. {} says "the use case's defaults" on purpose.
        var parsed = RuleJson.TryParse(overridesJson, out var overrides, out var parseError);
        var refused = string.IsNullOrWhiteSpace(overridesJson)
            ? new RuleError("json", "The rules are empty: send them as a JSON object ({} keeps the use case's defaults).")
            : overridesJson.Trim() == "null"
                ? new RuleError("json", "The rules are null: send them as a JSON object ({} keeps the use case's defaults).")
                : parsed ? null : parseError;
        if (refused is not null)
        {
            var unparsed = new RuleCandidate(overrides, RuleInheritance.Effective(defaults, overrides), data);
            unparsed.Add([refused]);
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
