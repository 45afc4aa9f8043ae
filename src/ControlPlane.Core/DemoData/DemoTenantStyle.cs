using System.Globalization;

namespace ControlPlane.Core.DemoData;

/// <summary>
/// Habits of one tenant's systems, shared by all its uploads: header style, date format, key format, value spellings,
/// and the size of its customers. Derived from slug + seed only, so a tenant looks the same across use cases.
/// </summary>
internal sealed record DemoTenantStyle
{
    private static readonly (string True, string False)[] BooleanSpellings =
        [("true", "false"), ("TRUE", "FALSE"), ("1", "0"), ("yes", "no"), ("Y", "N")];

    private static readonly string[] ProductStems =
        ["Nimbus", "Atlas", "Beacon", "Orbit", "Pulse", "Relay", "Harbor", "Summit", "Lumen", "Vertex", "Cobalt", "Juniper"];

    private static readonly string[] ProductKinds = ["Sync", "Hub", "Cloud", "POS", "Mobile", "Insights", "Pay", "Connect"];

    public required DemoNamingStyle Naming { get; init; }

    public required bool UsesPrefix { get; init; }

    public required string TimeFormat { get; init; }

    public required DemoKeyStyle Keys { get; init; }

    public required string TrueValue { get; init; }

    public required string FalseValue { get; init; }

    public required DemoValueCasing Casing { get; init; }

    public required DemoCountryStyle Countries { get; init; }

    public required int PlanScheme { get; init; }

    public required int PriorityScheme { get; init; }

    public required DemoTenantSegment Segment { get; init; }

    /// <summary>Relative growth of event volume from the start to the end of the range.</summary>
    public required double Growth { get; init; }

    public required IReadOnlyList<string> ProductNames { get; init; }

    public static DemoTenantStyle Create(string slugKey, int seed)
    {
        var rng = new DemoRandom(DemoStableHash.Of("tenant-style", slugKey, seed.ToString(CultureInfo.InvariantCulture)));
        var naming = rng.PickIndex(0.32, 0.2, 0.15, 0.1, 0.23);
        var booleans = BooleanSpellings[rng.Next(BooleanSpellings.Length)];
        var products = new List<string>();
        while (products.Count < 2)
        {
            var name = rng.Pick(ProductStems) + " " + rng.Pick(ProductKinds);
            if (!products.Contains(name))
            {
                products.Add(name);
            }
        }

        return new DemoTenantStyle
        {
            Naming = (DemoNamingStyle)naming,
            UsesPrefix = rng.Chance(0.3),
            TimeFormat = rng.NextDouble() switch
            {
                < 0.6 => "yyyy-MM-dd'T'HH:mm:ss'Z'",
                < 0.9 => "yyyy-MM-dd HH:mm:ss",
                _ => "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
            },
            Keys = (DemoKeyStyle)rng.Next(3),
            TrueValue = booleans.True,
            FalseValue = booleans.False,
            Casing = (DemoValueCasing)rng.Next(4),
            Countries = (DemoCountryStyle)rng.Next(3),
            PlanScheme = rng.Next(3),
            PriorityScheme = rng.Next(3),
            Segment = (DemoTenantSegment)rng.PickIndex(0.4, 0.35, 0.25),
            Growth = rng.Uniform(0, 0.8),
            ProductNames = products,
        };
    }
}
