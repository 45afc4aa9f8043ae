using System.Globalization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Datasets;

public sealed record StoredFile(string FileName, string StoragePath, string Region, long SizeBytes, string Sha256)
{
    public DataUpload ToEntity(Guid enrollmentId, string actor, DateTime now) => new()
    {
        Id = Guid.NewGuid(), EnrollmentId = enrollmentId, FileName = FileName, StoragePath = StoragePath,
        Region = Region, SizeBytes = SizeBytes, Sha256 = Sha256, UploadedAt = now, UploadedBy = actor,
    };
}

/// <summary>Streams a raw file into the tenant's region store, hashing it and enforcing the size limit on the way.</summary>
public sealed class UploadService(
    RegionCatalog regions, IDbContextFactory<ControlPlaneDbContext> dbs, IOptions<ControlPlaneOptions> options, TimeProvider time)
{
    /// <summary>Adds a raw data file to an existing enrollment: stored in the tenant's region, then recorded.</summary>
    public async Task<Result<StoredFile>> AddAsync(
        string tenantSlug, string useCase, string fileName, Stream content, string actor, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.Include(e => e.Tenant)
            .FirstOrDefaultAsync(e => e.Tenant!.Slug == tenantSlug && e.UseCase!.Key == useCase, ct);
        if (enrollment is null)
        {
            return Result<StoredFile>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
        }

        var upload = new InitialUpload(useCase, fileName, content);
        if (TenantValidation.UploadProblem(upload, [useCase], options.Value.Uploads.MaxBytes) is { } problem)
        {
            return Result<StoredFile>.Invalid("File", problem);
        }

        var stored = await StoreAsync(enrollment.Tenant!, upload, ct);
        if (!stored.IsOk)
        {
            return stored;
        }

        db.DataUploads.Add(stored.Value!.ToEntity(enrollment.Id, actor, Clock.UtcNow(time)));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            await regions.StoreFor(enrollment.Tenant!.Region).DeleteAsync(stored.Value.StoragePath, CancellationToken.None);
            throw;
        }

        return stored;
    }

    public async Task<Result<StoredFile>> StoreAsync(Tenant tenant, InitialUpload upload, CancellationToken ct = default)
    {
        var store = regions.StoreFor(tenant.Region);
        var safeName = SafeFileName(upload.FileName);
        var stamp = time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
        var path = $"{ArtifactPath.TenantRoot(tenant.Slug)}uploads/{upload.UseCase}/{stamp}-{safeName}";
        var maxBytes = options.Value.Uploads.MaxBytes;
        if (await store.WriteHashedAsync(path, upload.Content, maxBytes, ct) is not { } written)
        {
            return Result<StoredFile>.Invalid("File", $"File '{upload.FileName}' is larger than the limit of {maxBytes:N0} bytes.");
        }

        if (written.Size == 0)
        {
            await store.DeleteAsync(path, CancellationToken.None);
            return Result<StoredFile>.Invalid("File", $"File '{upload.FileName}' is empty.");
        }

        return Result<StoredFile>.Ok(new StoredFile(safeName, path, tenant.Region, written.Size, written.Sha256));
    }

    internal static string SafeFileName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray();
        var safe = new string(chars).Trim('.');
        return safe.Length == 0 ? "upload" : safe.Length > 120 ? safe[^120..] : safe;
    }
}
