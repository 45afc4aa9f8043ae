using System.Security.Claims;
using System.Text.Json;

namespace ControlPlane.Core.Security;

/// <summary>
/// The tenants a user or API token may see and act on: listed tenants, tenants of listed regions, or both (a tenant
/// passes if either list has it). No scope means every tenant. Administrators are never scoped: they manage scopes.
/// Stored as JSON on the user or token, carried as the <see cref="ClaimType"/> claim (decision 0044).
/// </summary>
public sealed record TenantScope(IReadOnlyList<string> Tenants, IReadOnlyList<string> Regions)
{
    public const string ClaimType = "cp:scope";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool Allows(string tenantSlug, string? tenantRegion) =>
        Tenants.Contains(tenantSlug, StringComparer.Ordinal) || (tenantRegion is not null && Regions.Contains(tenantRegion, StringComparer.Ordinal));

    public string Serialize() => JsonSerializer.Serialize(new Stored(Tenants.ToArray(), Regions.ToArray()), Json);

    /// <summary>The scope stored as <paramref name="json"/>; null (every tenant) for null or empty lists.</summary>
    public static TenantScope? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<Stored>(json, Json);
        return stored is null || ((stored.Tenants?.Length ?? 0) == 0 && (stored.Regions?.Length ?? 0) == 0)
            ? null
            : new TenantScope(stored.Tenants ?? [], stored.Regions ?? []);
    }

    /// <summary>The caller's scope; null when it may see every tenant (no scope claim, or an administrator).</summary>
    public static TenantScope? Of(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Admin) ? null : Parse(user.FindFirstValue(ClaimType));

    /// <summary>"acme, globex and the eu region": how a refusal names a scope.</summary>
    public string Describe() =>
        string.Join(" and ", new[]
        {
            Tenants.Count == 0 ? null : $"tenant{(Tenants.Count == 1 ? "" : "s")} {string.Join(", ", Tenants)}",
            Regions.Count == 0 ? null : $"region{(Regions.Count == 1 ? "" : "s")} {string.Join(", ", Regions)}",
        }.Where(p => p is not null));

    private sealed record Stored(string[]? Tenants, string[]? Regions);
}
