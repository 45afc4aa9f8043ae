using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Registry;

public sealed partial class ModelRegistry
{
    private const int MaxReasonLength = 1000;

    /// <summary>An analyst moves an alias to one of the enrollment's own versions, by number; the reason is required.</summary>
    public async Task<Result<AliasChangeView>> PromoteAsync(
        string tenant, string useCase, int number, string alias, string actor, string reason, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<AliasChangeView>.NotFound(NotEnrolled(tenant, useCase));
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var line = ModelLines.ForEnrollment(enrollment.Id);
        var id = await db.ModelVersions.Where(v => v.Line == line && v.Number == number).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
        return id is null
            ? Result<AliasChangeView>.NotFound($"'{tenant}' has no version {number} of its '{useCase}' model.")
            : await PromoteAsync(tenant, useCase, id.Value, alias, actor, reason, ct);
    }

    /// <summary>An analyst serves the enrollment with the pooled model of its use case and region, version <paramref name="pooledNumber"/>.</summary>
    public async Task<Result<AliasChangeView>> PromotePooledAsync(
        string tenant, string useCase, int pooledNumber, string alias, string actor, string reason, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<AliasChangeView>.NotFound(NotEnrolled(tenant, useCase));
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var line = ModelLines.ForPool(enrollment.UseCaseId, enrollment.Tenant!.Region);
        var id = await db.ModelVersions.Where(v => v.Line == line && v.Number == pooledNumber).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
        return id is null
            ? Result<AliasChangeView>.NotFound($"There is no pooled version {pooledNumber} of '{useCase}' in region '{enrollment.Tenant.Region}'.")
            : await PromoteAsync(tenant, useCase, id.Value, alias, actor, reason, ct);
    }

    /// <summary>
    /// An analyst moves an alias to a version given by id: one of the enrollment's own, or a pooled version of its use case
    /// and region; any other version is refused. Two promotes at once: one wins, the other gets a conflict.
    /// </summary>
    public async Task<Result<AliasChangeView>> PromoteAsync(
        string tenant, string useCase, Guid versionId, string alias, string actor, string reason, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<AliasChangeView>.NotFound(NotEnrolled(tenant, useCase));
        }

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

    /// <summary>
    /// Adds the move of an alias to the context, unsaved: the alias row with its revision bumped (the concurrency token)
    /// and the history row with the next sequence. Null when the alias already points at the version.
    /// </summary>
    private async Task<AliasChange?> StageMoveAsync(
        ControlPlaneDbContext db, Guid enrollmentId, string alias, ModelVersion to, string actor, string reason, bool automatic, CancellationToken ct)
    {
        var row = await db.ModelAliases.FirstOrDefaultAsync(a => a.EnrollmentId == enrollmentId && a.Name == alias, ct);
        if (row?.ModelVersionId == to.Id)
        {
            return null;
        }

        var now = Clock.UtcNow(time);
        actor = Truncated(actor, 256);
        if (row is null)
        {
            row = new ModelAlias { Id = Guid.NewGuid(), EnrollmentId = enrollmentId, Name = alias };
            db.ModelAliases.Add(row);
        }

        var change = new AliasChange
        {
            Id = Guid.NewGuid(), EnrollmentId = enrollmentId, Alias = alias, Sequence = row.Revision + 1,
            FromVersionId = row.Revision == 0 ? null : row.ModelVersionId, ToVersionId = to.Id,
            Actor = actor, At = now, Reason = reason, Automatic = automatic,
        };
        row.ModelVersionId = to.Id;
        row.Revision = change.Sequence;
        row.UpdatedAt = now;
        row.UpdatedBy = actor;
        db.AliasChanges.Add(change);
        return change;
    }

    /// <summary>Saves the staged moves in one transaction; a conflict when another move of the same alias won the race.</summary>
    private static async Task<Result<AliasChangeView>?> SaveMovesAsync(ControlPlaneDbContext db, string alias, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException)
        {
            return MovedMeanwhile<AliasChangeView>(alias);
        }
    }

    private static Result<T> MovedMeanwhile<T>(string alias) =>
        Result<T>.Conflict("alias", $"The {alias} alias was moved by someone else at the same moment; reload the versions and try again.");

    private static ValidationErrors CheckManualMove(string alias, string reason)
    {
        var errors = new ValidationErrors();
        if (!AliasNames.IsKnown(alias))
        {
            errors.Add("alias", UnknownAlias(alias));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add("reason", "Say why: a promote or rollback by hand needs a reason, which the alias history keeps.");
        }
        else if (reason.Trim().Length > MaxReasonLength - 100)
        {
            errors.Add("reason", $"The reason is longer than {MaxReasonLength - 100} characters.");
        }

        return errors;
    }

    private static string UnknownAlias(string? alias) =>
        $"The alias must be '{AliasNames.Champion}' or '{AliasNames.Challenger}', not '{alias}'.";

    /// <summary>Why a version cannot be an alias target of the enrollment; null when it can.</summary>
    private static string? NotOfEnrollment(ModelVersion version, Enrollment enrollment)
    {
        if (version.Kind == ModelVersionKinds.Pooled)
        {
            return version.Line == ModelLines.ForPool(enrollment.UseCaseId, enrollment.Tenant!.Region)
                ? null
                : $"Pooled version {version.Number} is of '{version.UseCase!.Key}' in region '{version.Region}', not of " +
                  $"'{enrollment.UseCase!.Key}' in region '{enrollment.Tenant.Region}' where '{enrollment.Tenant.Slug}' is.";
        }

        return version.EnrollmentId == enrollment.Id
            ? null
            : $"Model version {version.Number} belongs to tenant '{version.Enrollment!.Tenant!.Slug}' for '{version.UseCase!.Key}', " +
              $"not to '{enrollment.Tenant!.Slug}' for '{enrollment.UseCase!.Key}'.";
    }

    private static async Task<AliasChangeView> ViewAsync(ControlPlaneDbContext db, AliasChange change, CancellationToken ct)
    {
        var ids = new[] { change.FromVersionId, change.ToVersionId }.OfType<Guid>().ToArray();
        var versions = await db.ModelVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, ct);
        return new AliasChangeView(change.Alias, change.Sequence,
            change.FromVersionId is { } from ? ModelVersionRef.From(versions[from]) : null, ModelVersionRef.From(versions[change.ToVersionId]),
            change.Actor, change.At, change.Reason, change.Automatic);
    }

    private static AliasChangeView View(AliasChange c) => new(
        c.Alias, c.Sequence, c.FromVersion is { } from ? ModelVersionRef.From(from) : null, ModelVersionRef.From(c.ToVersion!),
        c.Actor, c.At, c.Reason, c.Automatic);
}
