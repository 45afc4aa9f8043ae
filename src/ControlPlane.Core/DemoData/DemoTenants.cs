namespace ControlPlane.Core.DemoData;

/// <summary>The standard demo tenant set used by seeding, tests and benchmarks.</summary>
public static class DemoTenants
{
    public static DemoTenant NorthwindTraders { get; } = new()
    {
        Slug = "northwind-traders",
        DisplayName = "Northwind Traders",
        Region = "us",
        UseCaseKeys = [DemoUseCaseKeys.LeadScoring, DemoUseCaseKeys.ChurnRisk],
        Seed = 11,
        Rows = 4000,
        DriftWindow = TimeSpan.FromDays(60),
        ConceptDrift = true,
    };

    public static DemoTenant ContosoHealth { get; } = new()
    {
        Slug = "contoso-health",
        DisplayName = "Contoso Health",
        Region = "us",
        UseCaseKeys = [DemoUseCaseKeys.ChurnRisk, DemoUseCaseKeys.TicketRouting, DemoUseCaseKeys.ResolutionTime],
        Seed = 13,
        Rows = 3000,
    };

    public static DemoTenant FabrikamEu { get; } = new()
    {
        Slug = "fabrikam-eu",
        DisplayName = "Fabrikam Europe",
        Region = "eu",
        UseCaseKeys = [DemoUseCaseKeys.LeadScoring, DemoUseCaseKeys.TicketRouting],
        Seed = 37,
        Rows = 2500,
    };

    public static IReadOnlyList<DemoTenant> Standard { get; } = [NorthwindTraders, ContosoHealth, FabrikamEu];

    public static DateTime AsOfUtc => DemoGenerationOptions.DefaultAsOfUtc;

    public static DemoTenant Get(string slug) =>
        Standard.FirstOrDefault(t => string.Equals(t.Slug, slug, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown demo tenant '{slug}'.", nameof(slug));

    /// <summary>Every (tenant, enrolled use case) dataset of the standard set, generated lazily.</summary>
    public static IEnumerable<DemoDataset> GenerateStandard(DateTime? asOfUtc = null)
    {
        foreach (var tenant in Standard)
        {
            foreach (var useCase in tenant.UseCaseKeys)
            {
                yield return tenant.Generate(useCase, asOfUtc);
            }
        }
    }
}
