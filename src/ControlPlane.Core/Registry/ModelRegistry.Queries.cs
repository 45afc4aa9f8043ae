using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Datasets;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Registry;

public sealed partial class ModelRegistry
{
    /// <summary>An enrollment's versions newest first, with the aliases; a pooled version an alias points at is listed too.</summary>
    public async Task<Result<ModelVersionList>> ListAsync(string tenant, string useCase, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<ModelVersionList>.NotFound(NotEnrolled(tenant, useCase));
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var aliases = await db.ModelAliases.AsNoTracking().Include(a => a.ModelVersion)
            .Where(a => a.EnrollmentId == enrollment.Id).OrderBy(a => a.Name).ToListAsync(ct);
        var own = await db.ModelVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollment.Id)
            .OrderByDescending(v => v.Number).ToListAsync(ct);
        var pooled = aliases.Select(a => a.ModelVersion!).Where(v => v.Kind == ModelVersionKinds.Pooled).DistinctBy(v => v.Id);
        var versions = own.Concat(pooled)
            .Select(v => Summary(v, v.Kind == ModelVersionKinds.Own ? tenant : null, useCase, AliasesOf(v.Id, aliases)))
            .ToArray();
        return Result<ModelVersionList>.Ok(new ModelVersionList(versions, aliases.Select(View).ToArray()));
    }

    /// <summary>One own version of an enrollment with its lineage and report.</summary>
    public async Task<Result<ModelVersionDetails>> GetAsync(string tenant, string useCase, int number, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        if (enrollment is null)
        {
            return Result<ModelVersionDetails>.NotFound(NotEnrolled(tenant, useCase));
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = await db.ModelVersions.AsNoTracking().Include(v => v.PooledVersion)
            .FirstOrDefaultAsync(v => v.EnrollmentId == enrollment.Id && v.Number == number, ct);
        if (version is null)
        {
            return Result<ModelVersionDetails>.NotFound(NoVersion(tenant, useCase, number));
        }

        var aliases = await db.ModelAliases.AsNoTracking().Where(a => a.EnrollmentId == enrollment.Id).ToListAsync(ct);
        return Result<ModelVersionDetails>.Ok(Details(version, Summary(version, tenant, useCase, AliasesOf(version.Id, aliases))));
    }

    /// <summary>One pooled version of a use case in a region.</summary>
    public async Task<Result<ModelVersionDetails>> GetPooledAsync(string useCase, string region, int number, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var useCaseId = await db.UseCases.Where(u => u.Key == useCase).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
        var line = useCaseId is { } id ? ModelLines.ForPool(id, region) : "";
        var version = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Line == line && v.Number == number, ct);
        return version is null
            ? Result<ModelVersionDetails>.NotFound($"There is no pooled version {number} of '{useCase}' in region '{region}'.")
            : Result<ModelVersionDetails>.Ok(Details(version, Summary(version, null, useCase, [])));
    }

    /// <summary>A pooled version of the enrollment's use case in its tenant's region: the pool that can serve it.</summary>
    public async Task<Result<ModelVersionDetails>> GetPooledForAsync(string tenant, string useCase, int number, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(tenant, useCase, ct);
        return enrollment is null
            ? Result<ModelVersionDetails>.NotFound(NotEnrolled(tenant, useCase))
            : await GetPooledAsync(useCase, enrollment.Tenant!.Region, number, ct);
    }

    /// <summary>
    /// Opens a version's artifact from its region's store, for the caller who loads the model (the gate's scorer,
    /// batch scoring, reproduce). Null when the version does not exist.
    /// </summary>
    public async Task<Stream?> OpenArtifactAsync(Guid versionId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var version = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, ct);
        return version is null
            ? null
            : await regions.StoreFor(version.Region).OpenReadAsync(version.ArtifactPath, ct)
              ?? throw new InvalidOperationException($"The artifact of model version {versionId} is missing from region '{version.Region}'.");
    }

    internal static ModelVersionSummary Summary(ModelVersion v, string? tenant, string useCase, IReadOnlyList<string> aliases) => new(
        v.Id, v.Kind, v.Number, tenant, useCase, v.Region, v.Task, v.Trainer, v.HeadlineMetric, v.HeadlineValue, v.HigherIsBetter,
        v.DatasetVersionNumber, v.RulesVersionNumber, v.TriggeredBy, v.CreatedAt, aliases, v.ServingChoice)
    {
        HeadlineLow = v.HeadlineLow, HeadlineHigh = v.HeadlineHigh, LeakSuspected = v.LeakSuspected,
    };

    private static ModelVersionDetails Details(ModelVersion v, ModelVersionSummary summary) => new(
        summary, v.DatasetVersionId, v.DatasetSha256,
        v.PooledLineageJson is { } lineage ? JsonSerializer.Deserialize<PooledSource[]>(lineage, DatasetService.JsonOptions) ?? [] : [],
        JsonSerializer.Deserialize<Dictionary<string, string>>(v.HyperparametersJson, DatasetService.JsonOptions) ?? [],
        v.Seed, v.LibraryVersion, v.CodeVersion, v.TrainingDuration, v.RunId, v.Region, v.ArtifactSha256, v.ArtifactSize,
        v.PredictionFingerprint, v.ServingChoice, v.ServingReason,
        v.PooledVersion is { } pooled ? ModelVersionRef.From(pooled) : null, v.PooledHeadlineValue,
        JsonSerializer.Deserialize<ModelReport>(v.ReportJson, DatasetService.JsonOptions)
            ?? throw new InvalidOperationException($"Model version {v.Id} has no report."));

    private static string[] AliasesOf(Guid versionId, IEnumerable<ModelAlias> aliases) =>
        aliases.Where(a => a.ModelVersionId == versionId).Select(a => a.Name).Order(StringComparer.Ordinal).ToArray();

    private static AliasView View(ModelAlias a) => new(a.Name, ModelVersionRef.From(a.ModelVersion!), a.Revision, a.UpdatedAt, a.UpdatedBy);
}
