using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Security;

public sealed record ApiTokenSummary(Guid Id, string Name, string Role, string Prefix, DateTime CreatedAt, string CreatedBy,
    DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, TenantScope? Scope = null);

public sealed record ApiTokenIssued(ApiTokenSummary Token, string Secret);

/// <param name="Tenants">Limit the token to these tenants (slugs); with <paramref name="Regions"/>, to tenants of either list.</param>
/// <param name="Regions">Limit the token to the tenants of these regions.</param>
public sealed record CreateApiTokenRequest(string? Name, string? Role, int? ExpiresInDays,
    IReadOnlyList<string>? Tenants = null, IReadOnlyList<string>? Regions = null);

/// <summary>The identity a valid bearer token acts as; <paramref name="Scope"/> null for every tenant.</summary>
public sealed record TokenIdentity(string Name, string Role, Guid? TokenId, TenantScope? Scope = null);

/// <summary>Admin-API bearer tokens: issued once, stored hashed, revocable; plus the configured bootstrap token.</summary>
public sealed class ApiTokenService(
    IDbContextFactory<ControlPlaneDbContext> dbs, IOptions<ControlPlaneOptions> options, TimeProvider time, Storage.RegionCatalog regions,
    ILogger<ApiTokenService> logger)
{
    public const string Kind = "cpt";

    public async Task<IReadOnlyList<ApiTokenSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.ApiTokens.AsNoTracking().OrderByDescending(t => t.CreatedAt).ToListAsync(ct)).Select(ToSummary).ToList();
    }

    public async Task<Result<ApiTokenIssued>> CreateAsync(CreateApiTokenRequest request, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add(nameof(request.Name), "Name is required.");
        }
        else if (request.Name.Length > 100)
        {
            errors.Add(nameof(request.Name), "Name must be at most 100 characters.");
        }

        if (!Roles.IsKnown(request.Role))
        {
            errors.Add(nameof(request.Role), $"Role '{request.Role}' is unknown; use one of {string.Join(", ", Roles.All)}.");
        }

        if (request.ExpiresInDays is < 1 or > 3650)
        {
            errors.Add(nameof(request.ExpiresInDays), "Expiry must be between 1 and 3650 days, or empty for no expiry.");
        }

        var scope = await ScopeProblemsAsync(db, regions, request.Role, request.Tenants, request.Regions, errors, ct);
        if (errors.Any)
        {
            return Result<ApiTokenIssued>.Invalid(errors);
        }

        var now = Clock.UtcNow(time);
        var (secret, prefix) = SecretHasher.NewSecret(Kind);
        var token = new ApiToken
        {
            Id = Guid.NewGuid(), Name = request.Name!.Trim(), Role = request.Role!, Prefix = prefix, Hash = SecretHasher.Hash(secret),
            CreatedAt = now, CreatedBy = actor, ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
            Scope = scope?.Serialize(),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("API token {TokenPrefix} ({TokenName}, {Role}{Scope}) created by {Actor}", prefix, token.Name, token.Role,
            scope is null ? "" : $", limited to {scope.Describe()}", actor);
        return Result<ApiTokenIssued>.Ok(new ApiTokenIssued(ToSummary(token), secret));
    }

    public async Task<Result<ApiTokenSummary>> RevokeAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.FindAsync([id], ct);
        if (token is null)
        {
            return Result<ApiTokenSummary>.NotFound($"API token {id} does not exist.");
        }

        token.RevokedAt ??= Clock.UtcNow(time);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("API token {TokenPrefix} revoked by {Actor}", token.Prefix, actor);
        return Result<ApiTokenSummary>.Ok(ToSummary(token));
    }

    /// <summary>Validates a presented bearer token; null when it is unknown, malformed, expired or revoked.</summary>
    public async Task<TokenIdentity?> AuthenticateAsync(string secret, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var bootstrap = options.Value.Bootstrap.AdminToken;
        if (!string.IsNullOrEmpty(bootstrap) && SecretHasher.Matches(secret, SecretHasher.Hash(bootstrap)))
        {
            return new TokenIdentity("bootstrap-token", Roles.Admin, null);
        }

        var prefix = SecretHasher.PrefixOf(secret, Kind);
        if (prefix is null)
        {
            return null;
        }

        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Prefix == prefix, ct);
        var now = Clock.UtcNow(time);
        if (token is null || !token.IsActiveAt(now) || !SecretHasher.Matches(secret, token.Hash))
        {
            return null;
        }

        // Recording every use would make each API call a write; a minute's resolution is enough to see idle tokens.
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }

        return new TokenIdentity($"token:{token.Name}", token.Role, token.Id, TenantScope.Parse(token.Scope));
    }

    public const int MaxScopedTenants = 200;
    public const int MaxScopedRegions = 50;

    /// <summary>
    /// The scope the lists ask for (null: every tenant), adding a problem for each wrong part: an admin cannot be
    /// limited, every tenant and region must exist.
    /// </summary>
    internal static async Task<TenantScope?> ScopeProblemsAsync(
        ControlPlaneDbContext db, Storage.RegionCatalog catalog, string? role, IReadOnlyList<string>? tenants, IReadOnlyList<string>? regions,
        ValidationErrors errors, CancellationToken ct)
    {
        var wanted = (tenants ?? []).Select(t => t?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        var wantedRegions = (regions ?? []).Select(r => r?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0 && wantedRegions.Count == 0)
        {
            return null;
        }

        if (role == Roles.Admin)
        {
            errors.Add("Tenants", "An Admin cannot be limited to tenants: admins manage every tenant and the scopes themselves. Choose Analyst or Viewer.");
            return null;
        }

        if (wanted.Count > MaxScopedTenants)
        {
            errors.Add("Tenants", $"At most {MaxScopedTenants} tenants may be listed; limit by region for more.");
        }
        else if (wanted.Count > 0)
        {
            var known = await db.Tenants.Where(t => wanted.Contains(t.Slug)).Select(t => t.Slug).ToListAsync(ct);
            if (wanted.Except(known, StringComparer.Ordinal).ToList() is { Count: > 0 } unknown)
            {
                errors.Add("Tenants", $"No tenant has the slug {string.Join(", ", unknown.Select(u => $"'{u}'"))}.");
            }
        }

        if (wantedRegions.Count > MaxScopedRegions)
        {
            errors.Add("Regions", $"At most {MaxScopedRegions} regions may be listed.");
        }
        else if (wantedRegions.Where(r => !catalog.Exists(r)).ToList() is { Count: > 0 } unknownRegions)
        {
            errors.Add("Regions", $"Unknown region {string.Join(", ", unknownRegions.Select(r => $"'{r}'"))} (known: {string.Join(", ", catalog.Regions.Select(r => r.Name))}).");
        }

        return new TenantScope(wanted, wantedRegions);
    }

    private static ApiTokenSummary ToSummary(ApiToken t) =>
        new(t.Id, t.Name, t.Role, t.Prefix, t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, TenantScope.Parse(t.Scope));
}
