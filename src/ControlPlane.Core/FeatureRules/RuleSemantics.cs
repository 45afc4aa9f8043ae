using ControlPlane.ML.Rules;

namespace ControlPlane.Core.FeatureRules;

/// <summary>
/// Checks of a tenant's overrides that need no data: names present and unique, nothing both defined and dropped, a label
/// that says where it comes from. Column and expression checks are <see cref="RuleChecker"/>'s, against a schema.
/// </summary>
internal static class RuleSemantics
{
    public static IReadOnlyList<RuleError> Check(RuleSet overrides)
    {
        var errors = new List<RuleError>();
        CheckFeatures(overrides.Features, errors);
        CheckDrop(overrides, errors);
        CheckLabel(overrides.Label, errors);
        foreach (var (path, value) in new[] { ("entityKey", overrides.EntityKey), ("eventTime", overrides.EventTime) })
        {
            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                errors.Add(new RuleError(path, "Name a raw column, or leave the field out to inherit the use case's column."));
            }
        }

        return errors;
    }

    private static void CheckFeatures(IReadOnlyList<FeatureRule> features, List<RuleError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < features.Count; i++)
        {
            var feature = features[i];
            if (string.IsNullOrWhiteSpace(feature.Name))
            {
                errors.Add(new RuleError($"features[{i}].name", $"Feature rule {i + 1} has no name."));
                continue;
            }

            if (feature.Name != feature.Name.Trim())
            {
                errors.Add(RuleError.Feature(feature.Name, "name", $"Feature name '{feature.Name}' starts or ends with a space."));
            }

            if (seen.TryGetValue(feature.Name, out var first))
            {
                errors.Add(RuleError.Feature(feature.Name, "name",
                    $"Feature '{feature.Name}' is defined twice (rules {first + 1} and {i + 1}); keep one rule per feature."));
                continue;
            }

            seen[feature.Name] = i;
            if (feature.Source is not null && feature.Expression is not null)
            {
                errors.Add(RuleError.Feature(feature.Name, "source", "Give either a source column or an expression, not both."));
            }

            if (feature.Inputs is { Count: > 0 } && feature.Expression is null)
            {
                errors.Add(RuleError.Feature(feature.Name, "inputs", "Inputs are only read by an expression; this rule has none."));
            }
        }
    }

    private static void CheckDrop(RuleSet overrides, List<RuleError> errors)
    {
        var defined = overrides.Features.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < overrides.Drop.Count; i++)
        {
            var name = overrides.Drop[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add(new RuleError($"drop[{i}]", "Drop entry is empty: name a feature or raw column."));
            }
            else if (!seen.Add(name))
            {
                errors.Add(new RuleError($"drop[{i}]", $"'{name}' is dropped twice."));
            }
            else if (defined.Contains(name))
            {
                errors.Add(new RuleError($"drop[{i}]",
                    $"'{name}' is both dropped and defined in features[{name}]; remove the rule or the drop."));
            }
        }
    }

    private static void CheckLabel(LabelRule? label, List<RuleError> errors)
    {
        if (label is null)
        {
            return;
        }

        if (label.Source is null && label.Expression is null)
        {
            errors.Add(new RuleError("label", "There is no label: give its source column or an expression."));
        }
        else if (label.Source is not null && label.Expression is not null)
        {
            errors.Add(new RuleError("label.source", "Give either a source column or an expression for the label, not both."));
        }
        else if (label.Source is not null && string.IsNullOrWhiteSpace(label.Source))
        {
            errors.Add(new RuleError("label.source", "Name the raw column holding the label."));
        }
        else if (label.Expression is not null && string.IsNullOrWhiteSpace(label.Expression))
        {
            errors.Add(new RuleError("label.expression", "The label expression is empty."));
        }

        if (label.Inputs is { Count: > 0 } && label.Expression is null)
        {
            errors.Add(new RuleError("label.inputs", "Inputs are only read by an expression; the label has none."));
        }
    }
}
