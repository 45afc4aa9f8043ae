namespace ControlPlane.Core.DemoData;

/// <summary>Canonical definition of a use-case column plus the ways tenants are known to name and encode it.</summary>
internal sealed record DemoColumnSpec(string Canonical, DemoColumnRole Role, DemoColumnKind Kind)
{
    /// <summary>snake_case alternatives; rendered into the tenant's naming style.</summary>
    public IReadOnlyList<string> Synonyms { get; init; } = [];

    /// <summary>First option is the canonical unit.</summary>
    public IReadOnlyList<DemoUnitOption> Units { get; init; } = [];

    public int Decimals { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    public DemoCategoryFlavor Flavor { get; init; }

    /// <summary>Relative propensity to be empty; 0 = always filled.</summary>
    public double MissingWeight { get; init; }

    public static DemoColumnSpec Key(string canonical, params string[] synonyms) =>
        new(canonical, DemoColumnRole.EntityKey, DemoColumnKind.Identifier) { Synonyms = synonyms };

    public static DemoColumnSpec Time(string canonical, params string[] synonyms) =>
        new(canonical, DemoColumnRole.EventTime, DemoColumnKind.Timestamp) { Synonyms = synonyms };

    public static DemoColumnSpec Number(string canonical, double missingWeight, params string[] synonyms) =>
        new(canonical, DemoColumnRole.Feature, DemoColumnKind.Number) { Synonyms = synonyms, MissingWeight = missingWeight };

    public static DemoColumnSpec Measure(string canonical, double missingWeight, params DemoUnitOption[] units) =>
        new(canonical, DemoColumnRole.Feature, DemoColumnKind.Number) { Units = units, MissingWeight = missingWeight };

    public static DemoColumnSpec Category(
        string canonical, IReadOnlyList<string> categories, double missingWeight, params string[] synonyms) =>
        new(canonical, DemoColumnRole.Feature, DemoColumnKind.Category)
        {
            Synonyms = synonyms,
            Categories = categories,
            MissingWeight = missingWeight,
        };

    public static DemoColumnSpec Flag(string canonical, double missingWeight, params string[] synonyms) =>
        new(canonical, DemoColumnRole.Feature, DemoColumnKind.Boolean)
        {
            Synonyms = synonyms,
            Categories = ["true", "false"],
            Flavor = DemoCategoryFlavor.Boolean,
            MissingWeight = missingWeight,
        };

    public static DemoColumnSpec Text(string canonical, double missingWeight, params string[] synonyms) =>
        new(canonical, DemoColumnRole.Feature, DemoColumnKind.Text) { Synonyms = synonyms, MissingWeight = missingWeight };

    public DemoColumnSpec AsLabel() => this with { Role = DemoColumnRole.Label, MissingWeight = 0 };
}
