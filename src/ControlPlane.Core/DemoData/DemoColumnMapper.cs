namespace ControlPlane.Core.DemoData;

/// <summary>Chooses a tenant's header, unit, value spellings and column order for a use case.</summary>
internal static class DemoColumnMapper
{
    private const double CanonicalNameChance = 0.2;

    public static DemoColumnEncoder[] Map(IReadOnlyList<DemoColumnSpec> specs, DemoGenerationContext context, DemoRandom rng)
    {
        var style = context.Style;
        var prefix = style.UsesPrefix ? rng.Pick(PrefixesFor(context.UseCaseKey)) : null;
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var encoders = new List<DemoColumnEncoder>(specs.Count);
        foreach (var spec in specs)
        {
            var unitIndex = spec.Units.Count == 0 ? -1 : rng.PickIndex([.. spec.Units.Select(u => u.Weight)]);
            var unit = unitIndex < 0 ? null : spec.Units[unitIndex];
            var synonyms = unit?.Synonyms ?? spec.Synonyms;
            var snake = unitIndex <= 0 && rng.Chance(CanonicalNameChance) ? spec.Canonical : rng.Pick(synonyms);
            var raw = DemoColumnNamer.Render(snake, style.Naming, prefix);
            for (var n = 2; !used.Add(raw); n++)
            {
                raw = DemoColumnNamer.Render(snake + "_" + n, style.Naming, prefix);
            }

            var values = DemoValueSpeller.BuildMap(spec, style);
            var column = new DemoColumn
            {
                CanonicalName = spec.Canonical,
                RawName = raw,
                Role = spec.Role,
                Kind = spec.Kind,
                Unit = unit is null ? null : Currency(spec.Units[0].Unit, context.Region),
                RawUnit = unit is null ? null : Currency(unit.Unit, context.Region),
                RawPerUnit = unit?.Factor ?? 1,
                Format = spec.Kind == DemoColumnKind.Timestamp ? style.TimeFormat : null,
                Values = values.AsReadOnly(),
            };
            encoders.Add(new DemoColumnEncoder(spec, column, unit?.Decimals ?? spec.Decimals, values));
        }

        return Order(encoders, rng);
    }

    // Exports rarely share a column order; only the key reliably comes first.
    private static DemoColumnEncoder[] Order(List<DemoColumnEncoder> encoders, DemoRandom rng)
    {
        var key = encoders.Single(e => e.Spec.Role == DemoColumnRole.EntityKey);
        var time = encoders.Single(e => e.Spec.Role == DemoColumnRole.EventTime);
        var label = encoders.Single(e => e.Spec.Role == DemoColumnRole.Label);
        var features = encoders.Where(e => e.Spec.Role == DemoColumnRole.Feature).ToList();
        if (rng.Chance(0.5))
        {
            rng.Shuffle(features);
        }

        var timeEarly = rng.Chance(0.6);
        var labelEarly = rng.Chance(0.25);
        var ordered = new List<DemoColumnEncoder> { key };
        if (timeEarly)
        {
            ordered.Add(time);
        }

        if (labelEarly)
        {
            ordered.Add(label);
        }

        ordered.AddRange(features);
        if (!timeEarly)
        {
            ordered.Add(time);
        }

        if (!labelEarly)
        {
            ordered.Add(label);
        }

        return [.. ordered];
    }

    private static string Currency(string unit, DemoRegion region) => unit.Replace("{cur}", region.Currency, StringComparison.Ordinal);

    private static string[] PrefixesFor(string useCaseKey) => useCaseKey switch
    {
        DemoUseCaseKeys.LeadScoring => ["crm", "sf", "hs", "mkt"],
        DemoUseCaseKeys.ChurnRisk => ["acct", "cs", "bi"],
        _ => ["tkt", "zd", "sup", "case"],
    };
}
