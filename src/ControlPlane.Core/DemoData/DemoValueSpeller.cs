namespace ControlPlane.Core.DemoData;

/// <summary>Builds a tenant's spelling of each canonical category value.</summary>
internal static class DemoValueSpeller
{
    private static readonly string[][] PlanSchemes =
    [
        [],
        ["Free", "Basic", "Plus", "Premium", "Enterprise"],
        ["Trial", "Team", "Growth", "Scale", "Enterprise"],
    ];

    private static readonly string[][] PrioritySchemes =
    [
        [],
        ["P4", "P3", "P2", "P1"],
        ["Minor", "Normal", "Major", "Critical"],
    ];

    public static Dictionary<string, string> BuildMap(DemoColumnSpec spec, DemoTenantStyle style)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Categories.Count; i++)
        {
            var canonical = spec.Categories[i];
            map[canonical] = spec.Flavor switch
            {
                DemoCategoryFlavor.Boolean => canonical == "true" ? style.TrueValue : style.FalseValue,
                DemoCategoryFlavor.Country => DemoCountryNames.Spell(canonical, style.Countries),
                DemoCategoryFlavor.Plan when style.PlanScheme > 0 => PlanSchemes[style.PlanScheme][i],
                DemoCategoryFlavor.Priority when style.PriorityScheme > 0 => PrioritySchemes[style.PriorityScheme][i],
                _ => Spell(canonical, style.Casing),
            };
        }

        return map;
    }

    public static string Spell(string canonical, DemoValueCasing casing) => casing switch
    {
        DemoValueCasing.Upper => canonical.ToUpperInvariant(),
        DemoValueCasing.Kebab => canonical.Replace('_', '-'),
        DemoValueCasing.Title => string.Join(' ', canonical.Split('_').Select(DemoColumnNamer.TitleWord)),
        _ => canonical,
    };
}
