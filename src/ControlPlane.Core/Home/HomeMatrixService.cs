using ControlPlane.ML;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Home;

public sealed record MatrixColumn(string Key, string Name, TaskType TaskType);

/// <summary>One enrollment's cell: its data and the champion that serves it (null: no model yet). Later issues add freshness, drift and SLA state.</summary>
public sealed record MatrixCell(string UseCase, DateTime EnrolledAt, int Uploads, MatrixChampion? Champion = null);

/// <summary>The version the champion alias points at: own or pooled, when it was trained and its headline test metric.</summary>
public sealed record MatrixChampion(int Number, bool Pooled, DateTime TrainedAt, string Metric, double Value, bool HigherIsBetter);

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
                e.Id,
                e.Tenant!.Slug,
                Cell = new MatrixCell(e.UseCase!.Key, e.CreatedAt, db.DataUploads.Count(u => u.EnrollmentId == e.Id), null),
            })
            .ToListAsync(ct);
        var champions = await ChampionsAsync(db, cells.Select(c => c.Id).ToList(), ct);
        var byTenant = cells
            .Select(c => (c.Slug, Cell: champions.TryGetValue(c.Id, out var champion) ? c.Cell with { Champion = champion } : c.Cell))
            .GroupBy(c => c.Slug).ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Cell.UseCase, c => c.Cell));

        var rows = page.Items.Select(t => new MatrixRow(t.Slug, t.Name, t.Region,
            byTenant.TryGetValue(t.Slug, out var c) ? c : new Dictionary<string, MatrixCell>())).ToList();
        return new HomeMatrix(columns, new PagedResult<MatrixRow>(rows, page.TotalCount, page.Page, page.PageSize));
    }

    private static async Task<Dictionary<Guid, MatrixChampion>> ChampionsAsync(ControlPlaneDbContext db, List<Guid> enrollments, CancellationToken ct)
    {
        var rows = await db.ModelAliases.AsNoTracking()
            .Where(a => a.Name == AliasNames.Champion && enrollments.Contains(a.EnrollmentId))
            .Select(a => new
            {
                a.EnrollmentId,
                a.ModelVersion!.Number,
                a.ModelVersion.Kind,
                a.ModelVersion.CreatedAt,
                a.ModelVersion.HeadlineMetric,
                a.ModelVersion.HeadlineValue,
                a.ModelVersion.HigherIsBetter,
            })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.EnrollmentId, r => new MatrixChampion(
            r.Number, r.Kind == ModelVersionKinds.Pooled, DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc), r.HeadlineMetric, r.HeadlineValue, r.HigherIsBetter));
    }
}
