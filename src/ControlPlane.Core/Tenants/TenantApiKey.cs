namespace ControlPlane.Core.Tenants;

/// <summary>A tenant's key for the predict and feedback routes. Only its SHA-256 hash is stored.</summary>
public sealed class TenantApiKey
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Tenant? Tenant { get; set; }

    /// <summary>The public part of the key (shown in lists, used to find the row).</summary>
    public required string Prefix { get; set; }

    public required string Hash { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime? RevokedAt { get; set; }

    /// <summary>
    /// After a rotation with an overlap, when this (old) key stops working: callers have until then to switch to the new
    /// one. Null: no end.
    /// </summary>
    public DateTime? ExpiresAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public bool IsActiveAt(DateTime utcNow) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > utcNow);
}
