using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Registry;

public sealed partial class ModelRegistry
{
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

    /// <summary>
    /// Saves the staged moves in one transaction; a conflict when another move of the same alias won the race. After a
    /// save, serving is told (<see cref="AliasMoves"/>), so new requests go to the new champion.
    /// </summary>
    private async Task<Result<AliasChangeView>?> SaveMovesAsync(ControlPlaneDbContext db, string alias, CancellationToken ct)
    {
        try
        {
            var moved = db.ChangeTracker.Entries<AliasChange>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.EnrollmentId).Distinct().ToList();
            await db.SaveChangesAsync(ct);
            foreach (var enrollmentId in moved)
            {
                moves.Raise(enrollmentId);
            }

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
