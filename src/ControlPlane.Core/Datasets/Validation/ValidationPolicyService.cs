using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Datasets.Validation;

/// <summary>What saving a policy did: the policy now in force and the newest dataset version's report judged by it.</summary>
public sealed record ValidationPolicySaved(ValidationPolicyView Policy, ValidationReport? Report);

/// <summary>
/// An enrollment's own emptiness limit with the reason for it (decision 0050). Saving one re-validates the newest
/// dataset version at once, so the data page and the next retrain see the verdict under the new limit.
/// </summary>
public sealed class ValidationPolicyService(
    IDbContextFactory<ControlPlaneDbContext> dbs, DatasetValidationService validation, IOptions<ControlPlaneOptions> options,
    TimeProvider time, ILogger<ValidationPolicyService> logger)
{
    public const int MinReasonLength = 10;
    public const int MaxReasonLength = 500;

    /// <summary>The lowest own limit: below 1 % any column with a missing cell would block.</summary>
    public const double MinLimit = 0.01;

    public async Task<Result<ValidationPolicyView>> GetAsync(string tenant, string useCase, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollmentId = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        if (enrollmentId is null) return Result<ValidationPolicyView>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));
        var row = await db.EnrollmentValidation.AsNoTracking().FirstOrDefaultAsync(v => v.EnrollmentId == enrollmentId, ct);
        return Result<ValidationPolicyView>.Ok(View(tenant, useCase, row));
    }

    /// <summary>
    /// Sets the enrollment's limit (a share, 0.01–1) with a reason, or with <paramref name="nullRateBlocking"/> null goes
    /// back to the server's; refused with the field named when either is out of bounds, and then nothing changes.
    /// </summary>
    public async Task<Result<ValidationPolicySaved>> SaveAsync(
        string tenant, string useCase, double? nullRateBlocking, string? reason, string actor, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        reason = reason?.Trim();
        if (nullRateBlocking is { } limit)
        {
            if (!double.IsFinite(limit) || limit < MinLimit || limit > 1)
            {
                errors.Add("nullRateBlocking",
                    $"The emptiness limit is a share between {MinLimit:0.00} and 1 (0.8 blocks columns more than 80 % empty); got {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            }
            if (string.IsNullOrEmpty(reason) || reason.Length < MinReasonLength)
            {
                errors.Add("reason", $"Say why this enrollment gets its own limit (at least {MinReasonLength} characters): it is shown beside every verdict it changes.");
            }
            else if (reason.Length > MaxReasonLength)
            {
                errors.Add("reason", $"The reason is {reason.Length} characters; at most {MaxReasonLength}.");
            }
        }
        if (errors.Any) return Result<ValidationPolicySaved>.Invalid(errors);

        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollmentId = await Tenants.Enrollment.FindIdAsync(db, tenant, useCase, ct);
        if (enrollmentId is null) return Result<ValidationPolicySaved>.NotFound(Tenants.Enrollment.NotEnrolled(tenant, useCase));

        var row = await db.EnrollmentValidation.FirstOrDefaultAsync(v => v.EnrollmentId == enrollmentId, ct);
        if (nullRateBlocking is null)
        {
            if (row is not null) db.EnrollmentValidation.Remove(row);
            row = null;
        }
        else
        {
            if (row is null)
            {
                row = new EnrollmentValidation { EnrollmentId = enrollmentId.Value };
                db.EnrollmentValidation.Add(row);
            }
            row.NullRateBlocking = nullRateBlocking.Value;
            row.Reason = reason!;
            row.UpdatedAt = Clock.UtcNow(time);
            row.UpdatedBy = actor;
        }
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Emptiness limit of {TenantSlug}/{UseCase} set to {Limit} by {Actor}",
            tenant, useCase, nullRateBlocking?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the server's", actor);

        var report = await validation.ValidateAsync(tenant, useCase, ct: ct);
        return Result<ValidationPolicySaved>.Ok(new(View(tenant, useCase, row), report.IsOk ? report.Value : null));
    }

    private ValidationPolicyView View(string tenant, string useCase, EnrollmentValidation? row)
    {
        var server = options.Value.Validation.NullRateBlocking;
        return row is null
            ? new(tenant, useCase, server, server, null, null, null)
            : new(tenant, useCase, row.NullRateBlocking, server, row.Reason, row.UpdatedAt, row.UpdatedBy);
    }
}
