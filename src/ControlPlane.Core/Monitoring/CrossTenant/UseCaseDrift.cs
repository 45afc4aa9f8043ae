namespace ControlPlane.Core.Monitoring.CrossTenant;

/// <summary>One feature's latest drift in one tenant's latest drift window.</summary>
public sealed record FeaturePsi(string Feature, double? Psi, string Status);

/// <summary>One tenant of a use case: its health verdict and drift aspect from the health row, its latest window's day and features.</summary>
public sealed record TenantDrift(
    string Slug, string Name, string? Status, string? Note, DateOnly? Day, IReadOnlyDictionary<string, FeaturePsi> Features)
{
    /// <summary>The enrollment's stored verdict (<see cref="Health.HealthVerdictService"/>), the same the home matrix shows.</summary>
    public Health.HealthVerdict Verdict { get; init; } = Health.HealthVerdict.NoData;

    /// <summary>The features that drift (then warn), largest PSI first, at most <paramref name="count"/>.</summary>
    public IReadOnlyList<FeaturePsi> Top(int count = 3) => Features.Values
        .Where(f => f.Status is "drift" or "warning")
        .OrderBy(f => f.Status == "drift" ? 0 : 1).ThenByDescending(f => f.Psi ?? 0).ThenBy(f => f.Feature, StringComparer.Ordinal)
        .Take(count).ToList();
}

/// <summary>
/// A use case's drift across its tenants: the heatmap's columns (features, the ones drifting in most tenants first)
/// and rows (tenants, drifting first and grouped by the set of features they drift in, so tenants that drift together
/// sit together).
/// </summary>
public sealed record UseCaseDrift(string UseCase, string Name, IReadOnlyList<string> Features, IReadOnlyList<TenantDrift> Tenants)
{
    public static UseCaseDrift Arrange(string useCase, string name, IReadOnlyList<TenantDrift> tenants)
    {
        var features = tenants.SelectMany(t => t.Features.Values)
            .GroupBy(f => f.Feature, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count(f => f.Status == "drift"))
            .ThenByDescending(g => g.Count(f => f.Status == "warning"))
            .ThenByDescending(g => g.Average(f => f.Psi ?? 0))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).ToList();
        var column = features.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);
        var ordered = tenants
            .OrderByDescending(t => Health.Verdicts.Rank(t.Verdict.Verdict))
            .ThenBy(t => Rank(t.Status))
            .ThenBy(t => Signature(t, column), StringComparer.Ordinal)
            .ThenBy(t => t.Slug, StringComparer.Ordinal)
            .ToList();
        return new UseCaseDrift(useCase, name, features, ordered);
    }

    private static int Rank(string? status) => status switch
    {
        "drift" => 0,
        "watch" or "warning" => 1,
        "ok" => 2,
        _ => 3,
    };

    /// <summary>The tenant's drifting features as their column positions, so equal sets sort next to each other.</summary>
    private static string Signature(TenantDrift tenant, Dictionary<string, int> column) => string.Join(',',
        tenant.Features.Values.Where(f => f.Status == "drift").Select(f => column[f.Feature]).Order()
            .Select(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)));
}
