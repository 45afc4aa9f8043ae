using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets.Sources;
using ControlPlane.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Datasets;

/// <summary>What one ingest did: the versions it made and a line saying so.</summary>
public sealed record IngestOutcome(IReadOnlyList<DatasetVersionSummary> Created, string Message);

/// <summary>
/// Brings an enrollment's new data in as dataset versions: from its configured data source (SQL or path) when it has
/// one, else from raw uploads kept at onboarding or demo seeding that no version was made from yet (matched by SHA-256).
/// </summary>
public sealed class DatasetIngestService(
    IDbContextFactory<ControlPlaneDbContext> dbs, RegionCatalog regions, DatasetService datasets, DataSourceService sources)
{
    /// <param name="progress">Called with a percentage and a message after each file.</param>
    public async Task<Result<IngestOutcome>> IngestAsync(
        string tenantSlug, string useCase, string actor, Func<double, string, Task> progress, CancellationToken ct = default)
    {
        if ((await sources.GetAsync(tenantSlug, useCase, ct)).IsOk)
        {
            var pulled = await sources.PullAsync(tenantSlug, useCase, actor, ct);
            if (!pulled.IsOk) return Failed(pulled.Status, pulled.Message ?? string.Join(" ", pulled.Errors.SelectMany(e => e.Value)));
            var created = pulled.Value!.Created && pulled.Value.Dataset is { } dataset ? new[] { dataset.Version } : [];
            return Result<IngestOutcome>.Ok(new IngestOutcome(created, $"Data source: {pulled.Value.Message}"));
        }

        return await IngestPendingUploadsAsync(tenantSlug, useCase, actor, progress, ct);
    }

    private async Task<Result<IngestOutcome>> IngestPendingUploadsAsync(
        string tenantSlug, string useCase, string actor, Func<double, string, Task> progress, CancellationToken ct)
    {
        List<DataUpload> pending;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (!await db.Enrollments.AnyAsync(e => e.Tenant!.Slug == tenantSlug && e.UseCase!.Key == useCase, ct))
            {
                return Result<IngestOutcome>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
            }

            pending = await db.DataUploads.AsNoTracking()
                .Where(u => u.Enrollment!.Tenant!.Slug == tenantSlug && u.Enrollment.UseCase!.Key == useCase)
                .Where(u => !db.DatasetVersions.Any(v => v.EnrollmentId == u.EnrollmentId && v.Sha256 == u.Sha256))
                .OrderBy(u => u.UploadedAt).ToListAsync(ct);
        }

        if (pending.Count == 0)
        {
            return Result<IngestOutcome>.Ok(new IngestOutcome([], "No data source is configured and every upload is already a dataset version."));
        }

        var created = new List<DatasetVersionSummary>();
        var failures = new List<string>();
        for (var i = 0; i < pending.Count; i++)
        {
            var upload = pending[i];
            var result = await IngestUploadAsync(tenantSlug, useCase, upload, actor, ct);
            if (result.IsOk && !result.Value!.Reused) created.Add(result.Value.Version);
            else if (!result.IsOk) failures.Add($"'{upload.FileName}': {result.Message ?? string.Join(" ", result.Errors.SelectMany(e => e.Value))}");
            await progress(100.0 * (i + 1) / pending.Count, $"{i + 1} of {pending.Count} uploads ingested");
        }

        var made = $"Made {created.Count} dataset version(s) from {pending.Count} pending upload(s)";
        return failures.Count == 0
            ? Result<IngestOutcome>.Ok(new IngestOutcome(created, $"{made}: {string.Join(", ", created.Select(v => $"v{v.Number} ({v.FileName})"))}."))
            : Failed(ResultStatus.Invalid, $"{made}; {failures.Count} could not be ingested: {string.Join(" ", failures)}");
    }

    private async Task<Result<CreatedDatasetVersion>> IngestUploadAsync(string tenantSlug, string useCase, DataUpload upload, string actor, CancellationToken ct)
    {
        await using var raw = await regions.StoreFor(upload.Region).OpenReadAsync(upload.StoragePath, ct);
        return raw is null
            ? Result<CreatedDatasetVersion>.NotFound($"the stored file '{upload.StoragePath}' is missing from the {upload.Region} store.")
            : await datasets.CreateVersionAsync(tenantSlug, useCase, upload.FileName, raw, actor, DatasetSourceKinds.Upload, ct);
    }

    private static Result<IngestOutcome> Failed(ResultStatus status, string message) =>
        status == ResultStatus.NotFound ? Result<IngestOutcome>.NotFound(message) : Result<IngestOutcome>.Invalid("File", message);
}
