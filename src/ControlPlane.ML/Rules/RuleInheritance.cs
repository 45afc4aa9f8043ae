namespace ControlPlane.ML.Rules;

/// <summary>
/// Merges a tenant's overrides onto its use case's defaults. A feature rule with a default's name replaces that default
/// (inheriting its type when it names none); other rules add features; <see cref="RuleSet.Drop"/> removes inherited
/// features. Label, entity key and event time fall back to the use case's columns.
/// </summary>
public static class RuleInheritance
{
    public static RuleSet Effective(RuleDefaults defaults, RuleSet? overrides)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        overrides ??= new RuleSet();
        var dropped = overrides.Drop.ToHashSet(StringComparer.Ordinal);
        var byName = overrides.Features.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var features = new List<FeatureRule>();
        foreach (var d in defaults.Features)
        {
            if (dropped.Contains(d.Name))
            {
                continue;
            }

            features.Add(byName.TryGetValue(d.Name, out var own)
                ? own with { Type = own.Type ?? d.Type }
                : new FeatureRule { Name = d.Name, Type = d.Type });
        }

        var inherited = defaults.Features.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        features.AddRange(overrides.Features.Where(f => !inherited.Contains(f.Name) && !dropped.Contains(f.Name)));
        return new RuleSet
        {
            Label = overrides.Label ?? new LabelRule { Source = defaults.LabelColumn },
            EntityKey = overrides.EntityKey ?? defaults.EntityKeyColumn,
            EventTime = overrides.EventTime ?? defaults.EventTimeColumn,
            Features = features,
            Drop = overrides.Drop,
        };
    }
}
