using ControlPlane.Core.Common;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Registry;

public sealed partial class ModelRegistry
{
    private const int MaxReasonLength = 1000;

    /// <summary>An analyst moves an alias to one of the enrollment's own versions, by number; the reason is required.</summary>
    public Task<Result<AliasChangeView>> PromoteAsync(
        string tenant, string useCase, int number, string alias, string actor, string reason, CancellationToken ct = default) =>
        PromoteByNumberAsync(tenant, useCase, number, e => ModelLines.ForEnrollment(e.Id),
            _ => NoVersion(tenant, useCase, number), alias, actor, reason, ct);

    /// <summary>An analyst serves the enrollment with the pooled model of its use case and region, version <paramref name="pooledNumber"/>.</summary>
    public Task<Result<AliasChangeView>> PromotePooledAsync(
        string tenant, string useCase, int pooledNumber, string alias, string actor, string reason, CancellationToken ct = default) =>
        PromoteByNumberAsync(tenant, useCase, pooledNumber, e => ModelLines.ForPool(e.UseCaseId, e.Tenant!.Region),
            e => $"There is no pooled version {pooledNumber} of '{useCase}' in region '{e.Tenant!.Region}'.", alias, actor, reason, ct);

    /// <summary>
    /// An analyst moves an alias to a version given by id: one of the enrollment's own, or a pooled version of its use case
    /// and region; any other version is refused. Two promotes at once: one wins, the other gets a conflict.
    /// </summary>
    public async Task<Result<AliasChangeView>> PromoteAsync(
        string tenant, string useCase, Guid versionId, string alias, string actor, string reason, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        return enrollment is null
            ? Result<AliasChangeView>.NotFound(NotEnrolled(tenant, useCase))
            : await PromoteAsync(enrollment, tenant, useCase, versionId, alias, actor, reason, ct);
    }

    /// <summary>Finds version <paramref name="number"/> on the enrollment's own or pooled line, then moves the alias to it.</summary>
    private async Task<Result<AliasChangeView>> PromoteByNumberAsync(
        string tenant, string useCase, int number, Func<Enrollment, string> lineOf, Func<Enrollment, string> missing,
        string alias, string actor, string reason, CancellationToken ct)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<AliasChangeView>.NotFound(NotEnrolled(tenant, useCase));
        }

        Guid? id;
        var line = lineOf(enrollment);
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            id = await db.ModelVersions.Where(v => v.Line == line && v.Number == number).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
        }

        return id is null
            ? Result<AliasChangeView>.NotFound(missing(enrollment))
            : await PromoteAsync(enrollment, tenant, useCase, id.Value, alias, actor, reason, ct);
    }

    private async Task<Result<AliasChangeView>> PromoteAsync(
        Enrollment enrollment, string tenant, string useCase, Guid versionId, string alias, string actor, string reason, CancellationToken ct)
    {
        var errors = CheckManualMove(alias, reason);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = await db.ModelVersions.AsNoTracking().Include(v => v.Enrollment!.Tenant).Include(v => v.UseCase)
            .FirstOrDefaultAsync(v => v.Id == versionId, ct);
        if (version is null)
        {
            return Result<AliasChangeView>.NotFound($"There is no model version {versionId}.");
        }

        if (NotOfEnrollment(version, enrollment) is { } refusal)
        {
            errors.Add("version", refusal);
        }

        if (errors.Any)
        {
            return Result<AliasChangeView>.Invalid(errors);
        }

        var change = await StageMoveAsync(db, enrollment.Id, alias, version, actor, reason.Trim(), false, ct);
        if (change is null)
        {
            return Result<AliasChangeView>.Invalid("version", $"{ModelVersionRef.From(version)} is already {alias} of '{tenant}' for '{useCase}'.");
        }

        return await SaveMovesAsync(db, alias, ct) is { } conflict ? conflict : Result<AliasChangeView>.Ok(await ViewAsync(db, change, ct));
    }

    /// <summary>Puts the previous champion back (the "from" of the champion's latest move), with a reason.</summary>
    public async Task<Result<AliasChangeView>> RollbackAsync(string tenant, string useCase, string actor, string reason, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<AliasChangeView>.NotFound(NotEnrolled(tenant, useCase));
        }

        var errors = CheckManualMove(AliasNames.Champion, reason);
        if (errors.Any)
        {
            return Result<AliasChangeView>.Invalid(errors);
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var latest = await db.AliasChanges.AsNoTracking().Include(c => c.FromVersion).Include(c => c.ToVersion)
            .Where(c => c.EnrollmentId == enrollment.Id && c.Alias == AliasNames.Champion)
            .OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
        if (latest?.FromVersion is not { } previous)
        {
            return Result<AliasChangeView>.Invalid("alias", $"'{tenant}' has no previous champion for '{useCase}' to roll back to.");
        }

        var why = $"Rollback from {ModelVersionRef.From(latest.ToVersion!)} to {ModelVersionRef.From(previous)}: {reason.Trim()}";
        var change = await StageMoveAsync(db, enrollment.Id, AliasNames.Champion, previous, actor, Truncated(why, MaxReasonLength), false, ct);

        // The champion moved since the history was read: someone else was quicker.
        if (change is null || change.Sequence != latest.Sequence + 1)
        {
            return MovedMeanwhile<AliasChangeView>(AliasNames.Champion);
        }

        return await SaveMovesAsync(db, AliasNames.Champion, ct) is { } conflict ? conflict : Result<AliasChangeView>.Ok(await ViewAsync(db, change, ct));
    }
}
