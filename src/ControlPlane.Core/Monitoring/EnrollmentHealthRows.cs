using System.Linq.Expressions;
using ControlPlane.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace ControlPlane.Core.Monitoring;

/// <summary>
/// What the checks share about <see cref="EnrollmentHealth"/> rows: each check owns some columns of one row per
/// enrollment and writes only those, and the gauges count one column per use case.
/// </summary>
internal static class EnrollmentHealthRows
{
    /// <summary>
    /// Writes the columns <paramref name="set"/> names (another check may be writing others of the same row at the same
    /// time), or inserts the row <paramref name="create"/> makes when there is none; when another check inserts it first,
    /// goes round once more against its row.
    /// </summary>
    public static async Task UpsertAsync(
        ControlPlaneDbContext db, Guid enrollmentId, Action<UpdateSettersBuilder<EnrollmentHealth>> set, Func<EnrollmentHealth> create, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await db.EnrollmentHealth.Where(h => h.EnrollmentId == enrollmentId).ExecuteUpdateAsync(set, ct) > 0)
            {
                return;
            }

            db.EnrollmentHealth.Add(create());
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>How many of the use case's enrollments have each value of <paramref name="column"/> (rows without one left out), counted in the database.</summary>
    public static async Task<IReadOnlyList<(string Value, int Count)>> CountsAsync(
        ControlPlaneDbContext db, Guid useCaseId, Expression<Func<EnrollmentHealth, string?>> column, CancellationToken ct)
    {
        var counts = await db.EnrollmentHealth
            .Join(db.Enrollments.Where(e => e.UseCaseId == useCaseId), h => h.EnrollmentId, e => e.Id, (h, _) => h)
            .Select(column).Where(v => v != null)
            .GroupBy(v => v).Select(g => new { Value = g.Key!, Count = g.Count() })
            .ToListAsync(ct);
        return counts.Select(c => (c.Value, c.Count)).ToList();
    }
}
