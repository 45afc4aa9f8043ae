using ControlPlane.ML;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Options;
using ControlPlane.Core.Security;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Tenants;

/// <summary>Onboarding, lookup and offboarding of tenants. The UI and the REST API both call this.</summary>
public sealed class TenantService(
    IDbContextFactory<ControlPlaneDbContext> dbs,
    RegionCatalog regions,
    UploadService uploads,
    IOptions<ControlPlaneOptions> options,
    TimeProvider time,
    TenantKeyCache keyCache,
    ILogger<TenantService> logger)
{
    public async Task<PagedResult<TenantSummary>> ListAsync(TenantQuery query, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await TenantListQuery.RunAsync(db, query, ct);
    }

    public async Task<TenantDetails?> GetAsync(string slug, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
        return tenant is null ? null : await DetailsAsync(db, tenant, ct);
    }

    public async Task<Result<TenantCreated>> CreateAsync(
        CreateTenantRequest request, string actor, InitialUpload? upload = null, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var errors = TenantValidation.Validate(request, regions);
        var requested = request.UseCases ?? [];
        var useCases = await db.UseCases.Where(u => requested.Contains(u.Key)).ToListAsync(ct);
        foreach (var missing in requested.Except(useCases.Select(u => u.Key), StringComparer.Ordinal))
        {
            errors.Add(nameof(request.UseCases), $"Use case '{missing}' does not exist.");
        }

        if (upload is not null && TenantValidation.UploadProblem(upload, requested, options.Value.Uploads.MaxBytes) is { } uploadProblem)
        {
            errors.Add("File", uploadProblem);
        }

        if (errors.Any)
        {
            return Result<TenantCreated>.Invalid(errors);
        }

        if (await db.Tenants.AnyAsync(t => t.Slug == request.Slug, ct))
        {
            return Result<TenantCreated>.Conflict(nameof(request.Slug), $"A tenant with slug '{request.Slug}' already exists.");
        }

        var now = Clock.UtcNow(time);
        var name = request.Name!.Trim();
        var tenant = new Tenant
        {
            Id = Guid.NewGuid(), Slug = request.Slug!, Name = name, Region = request.Region!,
            SearchText = Tenant.BuildSearchText(request.Slug!, name), CreatedAt = now, CreatedBy = actor,
        };
        tenant.Enrollments.AddRange(useCases.Select(u => new Enrollment { Id = Guid.NewGuid(), UseCaseId = u.Id, CreatedAt = now, CreatedBy = actor }));
        var (secret, key) = NewKey(tenant.Id, actor, now);
        tenant.ApiKeys.Add(key);
        db.Tenants.Add(tenant);

        StoredFile? stored = null;
        if (upload is not null)
        {
            var stage = await uploads.StoreAsync(tenant, upload, ct);
            if (!stage.IsOk)
            {
                return Result<TenantCreated>.Invalid("File", stage.Message!);
            }

            stored = stage.Value!;
            var enrollment = tenant.Enrollments.Single(e => e.UseCaseId == useCases.Single(u => u.Key == upload.UseCase).Id);
            db.DataUploads.Add(stored.ToEntity(enrollment.Id, actor, now));
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex)
        {
            // Nothing half-written: the stored file goes with the failed insert.
            if (stored is not null)
            {
                await regions.StoreFor(tenant.Region).DeleteTreeAsync(ArtifactPath.TenantRoot(tenant.Slug), CancellationToken.None);
            }

            if (await db.Tenants.AsNoTracking().AnyAsync(t => t.Slug == request.Slug, CancellationToken.None))
            {
                return Result<TenantCreated>.Conflict(nameof(request.Slug), $"A tenant with slug '{request.Slug}' already exists.");
            }

            logger.LogError(ex, "Creating tenant {TenantSlug} failed", request.Slug);
            throw;
        }

        logger.LogInformation("Tenant {TenantSlug} onboarded in region {Region} by {Actor} with {Enrollments} enrollments",
            tenant.Slug, tenant.Region, actor, tenant.Enrollments.Count);
        return Result<TenantCreated>.Ok(new TenantCreated(await DetailsAsync(db, tenant, ct), secret));
    }

    /// <summary>The longest a rotated-out key may keep working.</summary>
    public static readonly TimeSpan MaxRotationOverlap = TimeSpan.FromDays(30);

    /// <summary>
    /// Issues a new key; the old active ones keep working for <paramref name="overlap"/> (the configured
    /// <c>ControlPlane:Serving:KeyRotationOverlap</c> when null; zero revokes them at once), so callers can switch without
    /// an outage.
    /// </summary>
    public async Task<Result<ApiKeyIssued>> RotateKeyAsync(string slug, string actor, TimeSpan? overlap = null, CancellationToken ct = default)
    {
        var keep = overlap ?? options.Value.Serving.KeyRotationOverlap;
        if (keep < TimeSpan.Zero || keep > MaxRotationOverlap)
        {
            return Result<ApiKeyIssued>.Invalid("overlapHours",
                $"The old key may keep working from 0 hours (revoked at once) to {MaxRotationOverlap.TotalHours:0} hours (30 days); it was {keep.TotalHours:0.##}.");
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var tenant = await db.Tenants.Include(t => t.ApiKeys).FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (tenant is null)
        {
            return Result<ApiKeyIssued>.NotFound($"Tenant '{slug}' does not exist.");
        }

        var now = Clock.UtcNow(time);
        var until = now + keep;
        foreach (var old in tenant.ApiKeys.Where(k => k.IsActiveAt(now)))
        {
            if (keep == TimeSpan.Zero) old.RevokedAt = now;
            else if (old.ExpiresAt is null || old.ExpiresAt > until) old.ExpiresAt = until;
        }

        var (secret, key) = NewKey(tenant.Id, actor, now);
        db.TenantApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        keyCache.Forget();
        logger.LogInformation("API key of tenant {TenantSlug} rotated by {Actor}; new key prefix {KeyPrefix}; the old keys work until {Until}",
            slug, actor, key.Prefix, keep == TimeSpan.Zero ? "now" : until.ToString("O"));
        return Result<ApiKeyIssued>.Ok(new ApiKeyIssued(ToSummary(key), secret));
    }

    public async Task<Result<ApiKeySummary>> RevokeKeyAsync(string slug, Guid keyId, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var key = await db.TenantApiKeys.Include(k => k.Tenant).FirstOrDefaultAsync(k => k.Id == keyId && k.Tenant!.Slug == slug, ct);
        if (key is null)
        {
            return Result<ApiKeySummary>.NotFound($"Tenant '{slug}' has no API key {keyId}.");
        }

        key.RevokedAt ??= Clock.UtcNow(time);
        await db.SaveChangesAsync(ct);
        keyCache.Forget();
        logger.LogInformation("API key {KeyPrefix} of tenant {TenantSlug} revoked by {Actor}", key.Prefix, slug, actor);
        return Result<ApiKeySummary>.Ok(ToSummary(key));
    }

    /// <summary>Finds the tenant an API key belongs to; null for unknown, malformed or revoked keys.</summary>
    public async Task<Tenant?> AuthenticateKeyAsync(string? secret, CancellationToken ct = default) =>
        (await AuthenticateKeyWithIdAsync(secret, ct))?.Tenant;

    /// <summary>The active key's tenant and the key's id (for caches that must learn when it is revoked); null when the key is not an active one.</summary>
    public async Task<(Tenant Tenant, Guid KeyId)?> AuthenticateKeyWithIdAsync(string? secret, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var prefix = secret is null ? null : SecretHasher.PrefixOf(secret, TenantKeyKind);
        if (prefix is null)
        {
            return null;
        }

        var now = Clock.UtcNow(time);
        var key = await db.TenantApiKeys.AsNoTracking().Include(k => k.Tenant)
            .FirstOrDefaultAsync(k => k.Prefix == prefix && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now), ct);
        return key is not null && SecretHasher.Matches(secret!, key.Hash) ? (key.Tenant!, key.Id) : null;
    }

    public async Task<Result<OffboardReport>> OffboardAsync(string slug, string? confirmation, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var tenant = await db.Tenants.Include(t => t.Enrollments).FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (tenant is null)
        {
            return Result<OffboardReport>.NotFound($"Tenant '{slug}' does not exist.");
        }

        if (!string.Equals(confirmation, slug, StringComparison.Ordinal))
        {
            return Result<OffboardReport>.Invalid("Confirm", $"Type the tenant's slug '{slug}' to confirm offboarding; this deletes all its data and artifacts.");
        }

        // Files first: if the database delete then fails, the tenant is still listed and offboarding can be retried;
        // the other order could leave orphaned files that a later tenant with the same slug would inherit.
        var files = await regions.StoreFor(tenant.Region).DeleteTreeAsync(ArtifactPath.TenantRoot(slug), ct);
        var enrollments = tenant.Enrollments.Count;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var partitions = await db.PredictionPartitions.Where(p => p.Enrollment!.TenantId == tenant.Id).Select(p => p.Id).ToListAsync(ct);
        db.Tenants.Remove(tenant);
        await db.SaveChangesAsync(ct);

        // Predictions have no foreign key to their partition (decision 0021). Deleted after the partitions, so the rows of
        // a batch score that committed while the partitions were being deleted are seen, and deleted, too.
        await db.Predictions.Where(p => partitions.Contains(p.PartitionId)).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        keyCache.Forget();
        logger.LogInformation("Tenant {TenantSlug} offboarded by {Actor}: {Enrollments} enrollments, {Files} files removed", slug, actor, enrollments, files);
        return Result<OffboardReport>.Ok(new OffboardReport(slug, enrollments, files));
    }

    public const string TenantKeyKind = "cpk";

    private static (string Secret, TenantApiKey Key) NewKey(Guid tenantId, string actor, DateTime now)
    {
        var (secret, prefix) = SecretHasher.NewSecret(TenantKeyKind);
        return (secret, new TenantApiKey
        {
            Id = Guid.NewGuid(), TenantId = tenantId, Prefix = prefix, Hash = SecretHasher.Hash(secret), CreatedAt = now, CreatedBy = actor,
        });
    }

    private static async Task<TenantDetails> DetailsAsync(ControlPlaneDbContext db, Tenant tenant, CancellationToken ct)
    {
        var enrollments = await db.Enrollments.AsNoTracking().Where(e => e.TenantId == tenant.Id)
            .OrderBy(e => e.UseCase!.Key)
            .Select(e => new EnrollmentSummary(e.UseCase!.Key, e.UseCase.Name, e.UseCase.TaskType, e.CreatedAt,
                db.DataUploads.Count(u => u.EnrollmentId == e.Id)))
            .ToListAsync(ct);
        var keys = await db.TenantApiKeys.AsNoTracking().Where(k => k.TenantId == tenant.Id)
            .OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        return new TenantDetails(tenant.Slug, tenant.Name, tenant.Region, tenant.CreatedAt, tenant.CreatedBy,
            enrollments, keys.Select(ToSummary).ToList());
    }

    private static ApiKeySummary ToSummary(TenantApiKey k) => new(k.Id, k.Prefix, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.LastUsedAt, k.ExpiresAt);
}
