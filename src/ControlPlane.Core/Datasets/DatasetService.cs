using ControlPlane.ML;
using System.Text.Json;
using System.Text.Json.Serialization;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Core.Options;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Datasets;

/// <summary>
/// Turns an upload into a dataset version: raw bytes stored (hashed, size-limited) in the tenant's region, profiled,
/// snapshotted as typed Parquet, validated against the enrollment's current feature rules, then recorded. Whatever
/// fails, nothing half-written is left behind. A readable file whose validation finds blocking problems is still stored
/// as a version, marked blocked: the report is what the tenant needs to fix its data or its rules.
/// </summary>
public sealed class DatasetService(
    RegionCatalog regions, IDbContextFactory<ControlPlaneDbContext> dbs, DatasetValidationService validation,
    FeatureRuleService rules, IOptions<ControlPlaneOptions> options, TimeProvider time)
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public Task<Result<CreatedDatasetVersion>> CreateVersionAsync(
        string tenantSlug, string useCase, string fileName, Stream content, string actor, CancellationToken ct = default) =>
        CreateVersionAsync(tenantSlug, useCase, fileName, content, actor, DatasetSourceKinds.Upload, ct);

    /// <summary>The same as an upload, for data pulled from a source: <paramref name="sourceKind"/> records where it came from.</summary>
    public Task<Result<CreatedDatasetVersion>> CreateVersionAsync(
        string tenantSlug, string useCase, string fileName, Stream content, string actor, string sourceKind, CancellationToken ct) =>
        CreateVersionAsync(tenantSlug, useCase, fileName, content, actor, sourceKind, null, ct);

    /// <param name="types">Column types chosen instead of the inferred ones (see <see cref="ColumnTypeOverrides"/>); every name must be a column of the file.</param>
    public async Task<Result<CreatedDatasetVersion>> CreateVersionAsync(
        string tenantSlug, string useCase, string fileName, Stream content, string actor, string sourceKind,
        IReadOnlyDictionary<string, FeatureType>? types, CancellationToken ct)
    {
        var enrollment = await FindEnrollmentAsync(tenantSlug, useCase, ct);
        if (enrollment is null)
        {
            return Result<CreatedDatasetVersion>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!DatasetPasses.Extensions.Contains(extension))
        {
            return Result<CreatedDatasetVersion>.Invalid("File", $"File '{fileName}' is not a CSV or Parquet file (.csv, .parquet).");
        }

        var store = regions.StoreFor(enrollment.Tenant!.Region);
        var prefix = DatasetPrefix(tenantSlug, useCase);
        var incoming = $"{prefix}incoming/{Guid.NewGuid():N}{extension}";
        try
        {
            var written = await store.WriteHashedAsync(incoming, content, options.Value.Uploads.MaxBytes, ct);
            if (written is not { Size: var size, Sha256: var sha })
            {
                return Result<CreatedDatasetVersion>.TooLarge("File", $"File '{fileName}' is larger than the limit of {options.Value.Uploads.MaxBytes:N0} bytes.");
            }

            if (size == 0)
            {
                return Result<CreatedDatasetVersion>.Invalid("File", $"File '{fileName}' is empty.");
            }

            if (await FindByShaAsync(enrollment.Id, sha, ct) is { } existing)
            {
                return TypesDiffer(existing, types) is { } conflict ? Result<CreatedDatasetVersion>.Conflict(ColumnTypeOverrides.Field, conflict) : Reused(existing);
            }

            var upload = new Upload(UploadService.SafeFileName(fileName), sha, actor, sourceKind, types ?? new Dictionary<string, FeatureType>());
            return await IngestAsync(enrollment, store, incoming, extension, upload, ct);
        }
        catch (TableFormatException ex)
        {
            return Result<CreatedDatasetVersion>.Invalid("File", $"File '{fileName}' cannot be read: {ServerPaths.Scrub(ex.Message)}");
        }
        finally
        {
            await store.DeleteAsync(incoming, CancellationToken.None);
        }
    }

    public async Task<Result<IReadOnlyList<DatasetVersionSummary>>> ListAsync(string tenantSlug, string useCase, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenantSlug, useCase, ct);
        if (enrollment is null)
        {
            return Result<IReadOnlyList<DatasetVersionSummary>>.NotFound($"Tenant '{tenantSlug}' is not enrolled in '{useCase}'.");
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var versions = await db.DatasetVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollment.Id)
            .OrderByDescending(v => v.Number).ToListAsync(ct);
        return Result<IReadOnlyList<DatasetVersionSummary>>.Ok(versions.Select(DatasetVersionSummary.From).ToArray());
    }

    public async Task<Result<DatasetVersionDetails>> GetAsync(string tenantSlug, string useCase, int number, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = await db.DatasetVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.Enrollment!.Tenant!.Slug == tenantSlug && v.Enrollment.UseCase!.Key == useCase && v.Number == number, ct);
        if (version is null)
        {
            return Result<DatasetVersionDetails>.NotFound($"'{tenantSlug}' has no version {number} of its '{useCase}' dataset.");
        }

        var rulesVersion = await db.FeatureRuleVersions.Where(r => r.EnrollmentId == version.EnrollmentId).MaxAsync(r => (int?)r.Number, ct) ?? 0;
        using var profile = JsonDocument.Parse(version.ProfileJson);
        return Result<DatasetVersionDetails>.Ok(new DatasetVersionDetails(
            DatasetVersionSummary.From(version), Schema(version), profile.RootElement.Clone(), Report(version), rulesVersion));
    }

    public static string DatasetPrefix(string tenantSlug, string useCase) => $"{ArtifactPath.TenantRoot(tenantSlug)}datasets/{useCase}/";

    private async Task<Result<CreatedDatasetVersion>> IngestAsync(
        Enrollment enrollment, IArtifactStore store, string incoming, string extension, Upload upload, CancellationToken ct)
    {
        var profile = await DatasetPasses.ProfileAsync(store, incoming, extension, upload.Types, ct);
        if (ColumnTypeOverrides.UnknownColumns(upload.Types, profile.Columns.Select(c => c.Name), upload.FileName) is { } unknown)
        {
            return Result<CreatedDatasetVersion>.Invalid(ColumnTypeOverrides.Field, unknown);
        }

        if (profile.RowCount == 0)
        {
            return Result<CreatedDatasetVersion>.Invalid("File", $"File '{upload.FileName}' has a header but no rows.");
        }

        await using var snapshot = DatasetPasses.ScratchFile();
        await DatasetPasses.SnapshotAsync(store, incoming, extension, profile, snapshot, ct);
        var tenantSlug = enrollment.Tenant!.Slug;
        var view = await rules.GetAsync(tenantSlug, enrollment.UseCase!.Key, ct: ct);
        if (view.Value is not { } enrollmentRules)
        {
            return Result<CreatedDatasetVersion>.NotFound(view.Message!);
        }

        var report = await validation.ComputeAsync(enrollmentRules, 0, profile, snapshot, ct);

        // The time range is read from the column the tenant's rules map the event time to, not the use case's name for it.
        var eventTimeColumn = enrollmentRules.Effective.EventTime;

        // Two uploads may race for the same number; the loser takes the next one, once.
        for (var attempt = 0; ; attempt++)
        {
            var version = NewVersion(enrollment, extension, upload, profile, eventTimeColumn, await NextNumberAsync(enrollment.Id, ct));
            DatasetValidationService.Record(version, report with { DatasetVersion = version.Number });
            try
            {
                await PlaceFilesAsync(store, incoming, version.RawPath, snapshot, version.SnapshotPath, ct);
                await using var db = await dbs.CreateDbContextAsync(ct);
                db.DatasetVersions.Add(version);
                await db.SaveChangesAsync(ct);
                return Result<CreatedDatasetVersion>.Ok(new CreatedDatasetVersion(false, DatasetVersionSummary.From(version), Schema(version), Report(version)));
            }
            catch (Exception ex)
            {
                await store.DeleteAsync(version.RawPath, CancellationToken.None);
                await store.DeleteAsync(version.SnapshotPath, CancellationToken.None);
                if (ex is not DbUpdateException)
                {
                    throw;
                }

                if (await FindByShaAsync(enrollment.Id, upload.Sha256, ct) is { } raced)
                {
                    return Reused(raced);
                }

                if (attempt > 0)
                {
                    throw;
                }
            }
        }
    }

    private static async Task PlaceFilesAsync(
        IArtifactStore store, string incoming, string rawPath, FileStream snapshot, string snapshotPath, CancellationToken ct)
    {
        await using (var raw = await store.OpenReadAsync(incoming, ct)
            ?? throw new InvalidOperationException($"The stored upload '{incoming}' is missing."))
        {
            await store.WriteAsync(rawPath, raw, ct);
        }

        snapshot.Position = 0;
        await store.WriteAsync(snapshotPath, snapshot, ct);
    }

    /// <summary>The first and last event time of a version, read from its profile by the column the rules map the event time to.</summary>
    internal static (DateTime? From, DateTime? To) TimeSpanOf(TableProfile profile, string? eventTimeColumn)
    {
        var eventTime = profile.Columns.FirstOrDefault(c => c.Name == eventTimeColumn && c.Type == FeatureType.DateTime);
        return (eventTime?.MinDate is { } from ? Clock.Truncate(from) : null, eventTime?.MaxDate is { } to ? Clock.Truncate(to) : null);
    }

    private DatasetVersion NewVersion(
        Enrollment enrollment, string extension, Upload upload, TableProfile profile, string? eventTimeColumn, int number)
    {
        var id = Guid.NewGuid();

        // The id in the file names keeps a racing upload that picked the same number from overwriting this one's files.
        var folder = $"{DatasetPrefix(enrollment.Tenant!.Slug, enrollment.UseCase!.Key)}v{number}/";
        var tag = id.ToString("N")[..12];
        var (timeFrom, timeTo) = TimeSpanOf(profile, eventTimeColumn);
        var columns = profile.Columns.Select(c => new DatasetColumn(c.Name, c.Type, c.InferredType, c.IsOverridden)).ToArray();
        return new DatasetVersion
        {
            Id = id, EnrollmentId = enrollment.Id, Number = number, Sha256 = upload.Sha256, FileName = upload.FileName,
            SourceKind = upload.SourceKind, RawPath = $"{folder}raw-{tag}{extension}", SnapshotPath = $"{folder}snapshot-{tag}.parquet",
            Region = enrollment.Tenant.Region, RowCount = profile.RowCount, ColumnCount = profile.Columns.Count,
            TimeFrom = timeFrom, TimeTo = timeTo,
            SchemaJson = JsonSerializer.Serialize(columns, JsonOptions), ProfileJson = JsonSerializer.Serialize(profile, JsonOptions),
            CreatedAt = Clock.UtcNow(time), CreatedBy = upload.Actor,
        };
    }

    private static Result<CreatedDatasetVersion> Reused(DatasetVersion existing) =>
        Result<CreatedDatasetVersion>.Ok(new CreatedDatasetVersion(true, DatasetVersionSummary.From(existing), Schema(existing), Report(existing)));

    internal static ValidationReport? Report(DatasetVersion version) =>
        version.ValidationJson is { } json ? JsonSerializer.Deserialize<ValidationReport>(json, JsonOptions) : null;

    internal static IReadOnlyList<DatasetColumn> Schema(DatasetVersion version) =>
        JsonSerializer.Deserialize<DatasetColumn[]>(version.SchemaJson, JsonOptions) ?? [];

    private async Task<Enrollment?> FindEnrollmentAsync(string tenantSlug, string useCase, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Enrollments.AsNoTracking().Include(e => e.Tenant).Include(e => e.UseCase)
            .FirstOrDefaultAsync(e => e.Tenant!.Slug == tenantSlug && e.UseCase!.Key == useCase, ct);
    }

    private async Task<DatasetVersion?> FindByShaAsync(Guid enrollmentId, string sha, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.EnrollmentId == enrollmentId && v.Sha256 == sha, ct);
    }

    private async Task<int> NextNumberAsync(Guid enrollmentId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return (await db.DatasetVersions.Where(v => v.EnrollmentId == enrollmentId).MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
    }

    /// <summary>Null when the existing version already has the requested types (or none were requested).</summary>
    private static string? TypesDiffer(DatasetVersion existing, IReadOnlyDictionary<string, FeatureType>? types)
    {
        if (types is not { Count: > 0 }) return null;
        var schema = Schema(existing);
        var differ = types.Where(t => schema.FirstOrDefault(c => c.Name == t.Key) is not { } column || column.Type != t.Value).Select(t => $"'{t.Key}'").ToArray();
        return differ.Length == 0 ? null
            : $"File '{existing.FileName}' is already version {existing.Number}, and a version's column types are fixed; " +
              $"the types of {string.Join(", ", differ)} differ from it. Upload the file changed (e.g. re-exported) to make a new version with these types.";
    }

    private sealed record Upload(string FileName, string Sha256, string Actor, string SourceKind, IReadOnlyDictionary<string, FeatureType> Types);
}
