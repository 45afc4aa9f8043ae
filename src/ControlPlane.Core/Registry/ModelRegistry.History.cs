using ControlPlane.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Registry;

public sealed partial class ModelRegistry
{
    /// <summary>Every move of the enrollment's aliases (or of one), newest first.</summary>
    public async Task<Result<IReadOnlyList<AliasChangeView>>> HistoryAsync(string tenant, string useCase, string? alias = null, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<IReadOnlyList<AliasChangeView>>.NotFound(NotEnrolled(tenant, useCase));
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var changes = await db.AliasChanges.AsNoTracking().Include(c => c.FromVersion).Include(c => c.ToVersion)
            .Where(c => c.EnrollmentId == enrollment.Id && (alias == null || c.Alias == alias))
            .OrderByDescending(c => c.At).ThenBy(c => c.Alias).ThenByDescending(c => c.Sequence).ToListAsync(ct);
        return Result<IReadOnlyList<AliasChangeView>>.Ok(changes.Select(View).ToArray());
    }

    /// <summary>The version the alias pointed at, at <paramref name="at"/> (UTC): the last move at or before it; none before the first.</summary>
    public async Task<Result<LiveVersion>> LiveAtAsync(
        string tenant, string useCase, DateTime at, string alias = AliasNames.Champion, CancellationToken ct = default)
    {
        if (!AliasNames.IsKnown(alias))
        {
            return Result<LiveVersion>.Invalid("alias", UnknownAlias(alias));
        }

        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<LiveVersion>.NotFound(NotEnrolled(tenant, useCase));
        }

        var utc = at.Kind switch
        {
            DateTimeKind.Local => at.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(at, DateTimeKind.Utc),
            _ => at,
        };
        await using var db = await dbs.CreateDbContextAsync(ct);
        var change = await db.AliasChanges.AsNoTracking().Include(c => c.FromVersion).Include(c => c.ToVersion)
            .Where(c => c.EnrollmentId == enrollment.Id && c.Alias == alias && c.At <= utc)
            .OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
        return Result<LiveVersion>.Ok(new LiveVersion(utc, alias, change?.ToVersion is { } to ? ModelVersionRef.From(to) : null,
            change is null ? null : View(change)));
    }
}
