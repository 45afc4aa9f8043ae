using ControlPlane.ML;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Home;

public sealed record MatrixColumn(string Key, string Name, TaskType TaskType);

/// <summary>One enrollment's cell. Later issues add champion version, freshness, drift and SLA state.</summary>
public sealed record MatrixCell(string UseCase, DateTime EnrolledAt, int Uploads);

public sealed record MatrixRow(string Slug, string Name, string Region, IReadOnlyDictionary<string, MatrixCell> Cells);

public sealed record HomeMatrix(IReadOnlyList<MatrixColumn> Columns, PagedResult<MatrixRow> Rows);

/// <summary>The tenant × use-case matrix of the home page, paged over tenants in the database.</summary>
public sealed class HomeMatrixService(IDbContextFactory<ControlPlaneDbContext> dbs)
{
    public async Task<HomeMatrix> GetAsync(TenantQuery query, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var columns = await db.UseCases.AsNoTracking()
            .Where(u => query.UseCase == null || query.UseCase == "" || u.Key == query.UseCase)
            .OrderBy(u => u.Key).Select(u => new MatrixColumn(u.Key, u.Name, u.TaskType)).ToListAsync(ct);

        var page = await TenantListQuery.RunAsync(db, query, ct);
        var slugs = page.Items.Select(t => t.Slug).ToList();
        var cells = await db.Enrollments.AsNoTracking()
            .Where(e => slugs.Contains(e.Tenant!.Slug))
            .Select(e => new
            {
                e.Tenant!.Slug,
                Cell = new MatrixCell(e.UseCase!.Key, e.CreatedAt, db.DataUploads.Count(u => u.EnrollmentId == e.Id)),
            })
            .ToListAsync(ct);
        var byTenant = cells.GroupBy(c => c.Slug).ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Cell.UseCase, c => c.Cell));

        var rows = page.Items.Select(t => new MatrixRow(t.Slug, t.Name, t.Region,
            byTenant.TryGetValue(t.Slug, out var c) ? c : new Dictionary<string, MatrixCell>())).ToList();
        return new HomeMatrix(columns, new PagedResult<MatrixRow>(rows, page.TotalCount, page.Page, page.PageSize));
    }
}
