namespace ControlPlane.ML.Rules;

/// <summary>
/// Merges a tenant's overrides onto its use case's defaults. A feature rule with a default's name replaces that default
/// (inheriting its type, and its date parts, when it names none); other rules add features; <see cref="RuleSet.Drop"/>
/// removes inherited features. Label, entity key and event time fall back to the use case's columns. A default feature
/// derived from another use-case column (<see cref="RuleDefaults.Feature.Source"/>) reads that column as the tenant maps
/// it — the tenant's event-time column for a date feature of the event time — so no tenant repeats the derivation.
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
                ? own with
                {
                    Type = own.Type ?? d.Type,
                    Source = own.Source ?? (own.Expression is null ? Mapped(d, defaults, overrides, byName) : null),
                    DateParts = own.DateParts ?? ((own.Type ?? d.Type) == FeatureType.DateTime ? d.DateParts : null),
                }
                : new FeatureRule { Name = d.Name, Type = d.Type, Source = Mapped(d, defaults, overrides, byName), DateParts = d.DateParts });
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

    /// <summary>The raw column a derived default feature reads for this tenant; null when it reads a column of its own name.</summary>
    private static string? Mapped(RuleDefaults.Feature feature, RuleDefaults defaults, RuleSet overrides, IReadOnlyDictionary<string, FeatureRule> byName)
    {
        if (feature.Source is not { } source || source == feature.Name)
        {
            return null;
        }

        if (source == defaults.EventTimeColumn)
        {
            return overrides.EventTime ?? defaults.EventTimeColumn;
        }

        if (source == defaults.EntityKeyColumn)
        {
            return overrides.EntityKey ?? defaults.EntityKeyColumn;
        }

        // Another feature: the raw column the tenant reads it from (one step: a feature derived from a derived one reads its source's name).
        return byName.TryGetValue(source, out var other) && other.Expression is null ? other.Source ?? source : source;
    }
}
