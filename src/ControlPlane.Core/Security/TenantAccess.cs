using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Security;

/// <summary>Whether a scope reaches a tenant, and which tenants it reaches (decision 0044).</summary>
public sealed class TenantAccess(IDbContextFactory<ControlPlaneDbContext> dbs)
{
    /// <summary>True when <paramref name="scope"/> (null: every tenant) reaches the tenant; false too when there is no such tenant.</summary>
    public async Task<bool> AllowsAsync(TenantScope? scope, string? tenantSlug, CancellationToken ct = default)
    {
        if (scope is null)
        {
            return true;
        }

        if (tenantSlug is null)
        {
            return false;
        }

        if (scope.Tenants.Contains(tenantSlug, StringComparer.Ordinal))
        {
            return true;
        }

        if (scope.Regions.Count == 0)
        {
            return false;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var region = await db.Tenants.Where(t => t.Slug == tenantSlug).Select(t => t.Region).FirstOrDefaultAsync(ct);
        return scope.Allows(tenantSlug, region);
    }

    /// <summary>The tenant a run belongs to; null for a run of no tenant or no such run.</summary>
    public async Task<string?> TenantOfRunAsync(Guid runId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.PipelineRuns.Where(r => r.Id == runId).Select(r => r.TenantSlug).FirstOrDefaultAsync(ct);
    }

    /// <summary>The slugs of every tenant the scope reaches; null for no scope (every tenant).</summary>
    public async Task<IReadOnlyList<string>?> SlugsAsync(TenantScope? scope, CancellationToken ct = default)
    {
        if (scope is null)
        {
            return null;
        }

        if (scope.Regions.Count == 0)
        {
            return scope.Tenants;
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Tenants.TenantListQuery.Filter(db, new Tenants.TenantQuery { Scope = scope }).Select(t => t.Slug).ToListAsync(ct);
    }
}
