namespace ControlPlane.Core.DemoData;

/// <summary>A demo customer of the product: who it is and which use cases it is enrolled in.</summary>
public sealed record DemoTenant
{
    public required string Slug { get; init; }

    public required string DisplayName { get; init; }

    public required string Region { get; init; }

    public required IReadOnlyList<string> UseCaseKeys { get; init; }

    public required int Seed { get; init; }

    public int Rows { get; init; } = 3000;

    /// <summary>
    /// When set, the most recent stretch of this length carries drift. Relative to the as-of date so that
    /// the drift stays inside the data whichever as-of date a caller picks.
    /// </summary>
    public TimeSpan? DriftWindow { get; init; }

    public bool ConceptDrift { get; init; }

    public DemoGenerationOptions ToOptions(DateTime? asOfUtc = null)
    {
        var asOf = asOfUtc ?? DemoGenerationOptions.DefaultAsOfUtc;
        return new DemoGenerationOptions
        {
            TenantSlug = Slug,
            Region = Region,
            Rows = Rows,
            Seed = Seed,
            AsOfUtc = asOf,
            DriftAfterUtc = DriftWindow is { } window ? asOf - window : null,
            ConceptDrift = ConceptDrift && DriftWindow is not null,
        };
    }

    public DemoDataset Generate(string useCaseKey, DateTime? asOfUtc = null) =>
        DemoDataGenerator.Generate(useCaseKey, ToOptions(asOfUtc));
}
