using ControlPlane.ML;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Home;

public sealed record MatrixColumn(string Key, string Name, TaskType TaskType);

/// <summary>One enrollment's cell: its data, the champion that serves it (null: no model yet) and its health (drift, decay, SLAs, model age).</summary>
/// <param name="Uploads">Upload files not yet made into dataset versions.</param>
/// <param name="DatasetVersions">Dataset versions the enrollment has.</param>
/// <param name="Waiting">The challenger, when it is not the champion: a version the gate did not promote, awaiting a person.</param>
public sealed record MatrixCell(
    string UseCase, DateTime EnrolledAt, int Uploads, MatrixChampion? Champion = null, Monitoring.Health.HealthVerdict? Health = null, int DatasetVersions = 0,
    MatrixWaiting? Waiting = null);

/// <summary>A version that was not promoted: its number and whether a leak is suspected in it.</summary>
public sealed record MatrixWaiting(int Number, bool LeakSuspected);

/// <summary>The version the champion alias points at: own or pooled, when it was trained and its headline test metric.</summary>
/// <param name="Value">The headline on the test rows; null when unmeasured.</param>
/// <param name="Low">The headline's 95 % interval, when measured.</param>
public sealed record MatrixChampion(int Number, bool Pooled, DateTime TrainedAt, string Metric, double? Value, bool HigherIsBetter, double? Low = null, double? High = null);

public sealed record MatrixRow(string Slug, string Name, string Region, IReadOnlyDictionary<string, MatrixCell> Cells);

/// <param name="HealthCounts">Enrollments per verdict (every verdict listed, zeros too) over all the filtered tenants, not only the page's.</param>
public sealed record HomeMatrix(IReadOnlyList<MatrixColumn> Columns, PagedResult<MatrixRow> Rows, IReadOnlyDictionary<string, int> HealthCounts);

/// <summary>
/// The tenant × use-case matrix of the home page, paged over tenants in the database: one query for the page's tenants,
/// one for their enrollments, one for the champions and one for the health and policy rows — never one per cell.
/// </summary>
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
                Cell = new MatrixCell(e.UseCase!.Key, e.CreatedAt, db.DataUploads.Count(u => u.EnrollmentId == e.Id), null, null,
                    db.DatasetVersions.Count(d => d.EnrollmentId == e.Id)),
            })
            .ToListAsync(ct);
        var ids = cells.Select(c => c.Id).ToList();
        var champions = await ChampionsAsync(db, ids, ct);
        var health = await HealthAsync(db, ids, ct);
        var waiting = await WaitingAsync(db, ids, ct);
        var byTenant = cells
            .Select(c =>
            {
                var champion = champions.GetValueOrDefault(c.Id);
                return (c.Slug, Cell: c.Cell with
                {
                    Champion = champion, Health = HealthOf(health.GetValueOrDefault(c.Id)), Waiting = waiting.GetValueOrDefault(c.Id),
                });
            })
            .GroupBy(c => c.Slug).ToDictionary(g => g.Key, g => g.ToDictionary(c => c.Cell.UseCase, c => c.Cell));

        var rows = page.Items.Select(t => new MatrixRow(t.Slug, t.Name, t.Region,
            byTenant.TryGetValue(t.Slug, out var c) ? c : new Dictionary<string, MatrixCell>())).ToList();
        return new HomeMatrix(columns, new PagedResult<MatrixRow>(rows, page.TotalCount, page.Page, page.PageSize), await HealthCountsAsync(db, query, ct));
    }

    /// <summary>Enrollments of the filtered tenants per verdict, grouped in the database; those never judged count as no data.</summary>
    private static async Task<IReadOnlyDictionary<string, int>> HealthCountsAsync(ControlPlaneDbContext db, TenantQuery query, CancellationToken ct)
    {
        var tenants = TenantListQuery.Filter(db, query).Select(t => t.Id);
        var enrollments = db.Enrollments.Where(e => tenants.Contains(e.TenantId)
            && (query.UseCase == null || query.UseCase == "" || e.UseCase!.Key == query.UseCase));
        var total = await enrollments.CountAsync(ct);
        var judged = await db.EnrollmentHealth.Where(h => enrollments.Any(e => e.Id == h.EnrollmentId))
            .GroupBy(h => h.Verdict).Select(g => new { Verdict = g.Key, Count = g.Count() }).ToListAsync(ct);
        var counts = Monitoring.Health.Verdicts.All.ToDictionary(v => v, _ => 0, StringComparer.Ordinal);
        foreach (var row in judged.Where(r => Monitoring.Health.Verdicts.Rank(r.Verdict) > 0)) counts[row.Verdict!] += row.Count;
        counts[Monitoring.Health.Verdicts.NoData] = total - counts.Where(c => c.Key != Monitoring.Health.Verdicts.NoData).Sum(c => c.Value);
        return counts;
    }

    private sealed record HealthRow(Guid EnrollmentId, string? Verdict, string? Reason, string? Evidence);

    /// <summary>Each enrollment's stored verdict (<see cref="Monitoring.Health.HealthVerdictService"/>), in one query.</summary>
    private static async Task<Dictionary<Guid, HealthRow>> HealthAsync(ControlPlaneDbContext db, List<Guid> enrollments, CancellationToken ct)
    {
        var rows = await db.EnrollmentHealth.AsNoTracking()
            .Where(h => enrollments.Contains(h.EnrollmentId))
            .Select(h => new HealthRow(h.EnrollmentId, h.Verdict, h.VerdictReason, h.VerdictEvidence))
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.EnrollmentId);
    }

    private static Monitoring.Health.HealthVerdict HealthOf(HealthRow? row) => row is null
        ? Monitoring.Health.HealthVerdict.NoData
        : Monitoring.Health.HealthVerdict.Stored(row.Verdict, row.Reason, row.Evidence);

    /// <summary>Each enrollment's challenger when the champion alias does not point at the same version, in one query.</summary>
    private static async Task<Dictionary<Guid, MatrixWaiting>> WaitingAsync(ControlPlaneDbContext db, List<Guid> enrollments, CancellationToken ct)
    {
        var rows = await db.ModelAliases.AsNoTracking()
            .Where(a => a.Name == AliasNames.Challenger && enrollments.Contains(a.EnrollmentId)
                        && !db.ModelAliases.Any(c => c.EnrollmentId == a.EnrollmentId && c.Name == AliasNames.Champion && c.ModelVersionId == a.ModelVersionId))
            .Select(a => new { a.EnrollmentId, a.ModelVersion!.Number, a.ModelVersion.LeakSuspected })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.EnrollmentId, r => new MatrixWaiting(r.Number, r.LeakSuspected));
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
                a.ModelVersion.HeadlineLow,
                a.ModelVersion.HeadlineHigh,
            })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.EnrollmentId, r => new MatrixChampion(
            r.Number, r.Kind == ModelVersionKinds.Pooled, DateTime.SpecifyKind(r.CreatedAt, DateTimeKind.Utc), r.HeadlineMetric, r.HeadlineValue, r.HigherIsBetter, r.HeadlineLow, r.HeadlineHigh));
    }
}
