using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Tenants;

/// <summary>
/// The tenants list: filtered, sorted and paged in the database (one count and one page query),
/// so it stays fast at tens of thousands of tenants.
/// </summary>
internal static class TenantListQuery
{
    public static async Task<PagedResult<TenantSummary>> RunAsync(ControlPlaneDbContext db, TenantQuery query, CancellationToken ct)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, TenantQuery.MaxPageSize);
        var page = Math.Max(0, query.Page);
        var tenants = Filter(db, query);

        var total = await tenants.CountAsync(ct);
        var rows = await Sort(db, tenants, query).Skip(page * pageSize).Take(pageSize)
            .Select(t => new { t.Id, t.Slug, t.Name, t.Region, t.CreatedAt }).ToListAsync(ct);

        // Counted for the page's tenants only: a count in the page query's projection would be evaluated
        // for every row PostgreSQL skips over with OFFSET, making deep pages slow.
        var ids = rows.Select(r => r.Id).ToList();
        var counts = await db.Enrollments.Where(e => ids.Contains(e.TenantId)).GroupBy(e => e.TenantId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var items = rows.Select(r => new TenantSummary(r.Slug, r.Name, r.Region, r.CreatedAt, counts.GetValueOrDefault(r.Id))).ToList();
        return new PagedResult<TenantSummary>(items, total, page, pageSize);
    }

    internal static IQueryable<Tenant> Filter(ControlPlaneDbContext db, TenantQuery query)
    {
        var tenants = db.Tenants.AsNoTracking();
        if (query.Scope is { } scope)
        {
            var (slugs, regions) = (scope.Tenants.ToList(), scope.Regions.ToList());
            tenants = tenants.Where(t => slugs.Contains(t.Slug) || regions.Contains(t.Region));
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToLowerInvariant();
            tenants = tenants.Where(t => t.SearchText.Contains(term));
        }

        if (!string.IsNullOrWhiteSpace(query.Region))
        {
            tenants = tenants.Where(t => t.Region == query.Region);
        }

        if (!string.IsNullOrWhiteSpace(query.UseCase))
        {
            tenants = tenants.Where(t => t.Enrollments.Any(e => e.UseCase!.Key == query.UseCase));
        }

        return tenants;
    }

    private static IQueryable<Tenant> Sort(ControlPlaneDbContext db, IQueryable<Tenant> rows, TenantQuery q) => (q.SortBy, q.Descending) switch
    {
        (TenantSort.Health, var worstFirst) => ByHealth(db, rows, q.UseCase, worstFirst),
        (TenantSort.Slug, false) => rows.OrderBy(t => t.Slug),
        (TenantSort.Slug, true) => rows.OrderByDescending(t => t.Slug),
        (TenantSort.Region, false) => rows.OrderBy(t => t.Region).ThenBy(t => t.Slug),
        (TenantSort.Region, true) => rows.OrderByDescending(t => t.Region).ThenBy(t => t.Slug),
        (TenantSort.CreatedAt, false) => rows.OrderBy(t => t.CreatedAt).ThenBy(t => t.Slug),
        (TenantSort.CreatedAt, true) => rows.OrderByDescending(t => t.CreatedAt).ThenBy(t => t.Slug),
        (TenantSort.Enrollments, false) => rows.OrderBy(t => t.Enrollments.Count).ThenBy(t => t.Slug),
        (TenantSort.Enrollments, true) => rows.OrderByDescending(t => t.Enrollments.Count).ThenBy(t => t.Slug),
        (_, false) => rows.OrderBy(t => t.Name).ThenBy(t => t.Slug),
        (_, true) => rows.OrderByDescending(t => t.Name).ThenBy(t => t.Slug),
    };

    /// <summary>
    /// Tenants by their worst stored verdict (<see cref="Monitoring.Health.Verdicts.Rank"/>: failing 5 … healthy 1, no
    /// data 0), computed in the database; ties by name.
    /// </summary>
    private static IQueryable<Tenant> ByHealth(ControlPlaneDbContext db, IQueryable<Tenant> rows, string? useCase, bool worstFirst)
    {
        var ranked = rows.Select(t => new
        {
            Tenant = t,
            Worst = db.EnrollmentHealth
                .Where(h => t.Enrollments.Any(e => e.Id == h.EnrollmentId && (useCase == null || useCase == "" || e.UseCase!.Key == useCase)))
                .Max(h => (int?)(h.Verdict == Monitoring.Health.Verdicts.Failing ? 5 : h.Verdict == Monitoring.Health.Verdicts.Decay ? 4
                    : h.Verdict == Monitoring.Health.Verdicts.Drift ? 3 : h.Verdict == Monitoring.Health.Verdicts.Watch ? 2
                    : h.Verdict == Monitoring.Health.Verdicts.Healthy ? 1 : 0)) ?? 0,
        });
        return (worstFirst ? ranked.OrderByDescending(r => r.Worst) : ranked.OrderBy(r => r.Worst)).ThenBy(r => r.Tenant.Name).ThenBy(r => r.Tenant.Slug)
            .Select(r => r.Tenant);
    }
}
