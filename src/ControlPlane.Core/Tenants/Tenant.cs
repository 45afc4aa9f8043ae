namespace ControlPlane.Core.Tenants;

/// <summary>A customer account. Its raw data and artifacts live only in its home region.</summary>
public sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public required string Region { get; set; }

    /// <summary>Lower-cased "slug name" kept for fast case-insensitive search on both providers.</summary>
    public string SearchText { get; set; } = "";

    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";

    public List<Enrollment> Enrollments { get; set; } = [];
    public List<TenantApiKey> ApiKeys { get; set; } = [];

    public static string BuildSearchText(string slug, string name) => $"{slug} {name}".ToLowerInvariant();
}
