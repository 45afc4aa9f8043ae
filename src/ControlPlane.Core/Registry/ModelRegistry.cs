using System.Reflection;
using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Options;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Registry;

/// <summary>
/// The model registry: versions with lineage (artifact in the region store, row in the database, both or neither),
/// the champion and challenger aliases with their history, the promotion gate, manual promote and rollback, and
/// "which version was live at D". Registration lives here; reading in ModelRegistry.Queries, aliases in ModelRegistry.Aliases.
/// </summary>
public sealed partial class ModelRegistry(
    RegionCatalog regions, IDbContextFactory<ControlPlaneDbContext> dbs, IOptions<ControlPlaneOptions> options, TimeProvider time)
{
    /// <summary>Registrations racing for a number retry with the next one this many times.</summary>
    private const int NumberAttempts = 5;

    /// <summary>ML.NET's assembly version, recorded with every version.</summary>
    public static string LibraryVersion { get; } = typeof(Microsoft.ML.MLContext).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The app's informational version (with the commit when the build knows it).</summary>
    public static string CodeVersion { get; } =
        typeof(ModelRegistry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Stores the artifact in the tenant's region and records the version with its lineage; atomically.</summary>
    public async Task<Result<ModelVersionSummary>> RegisterAsync(ModelRegistration registration, Stream artifact, CancellationToken ct = default)
    {
        var enrollment = await FindEnrollmentAsync(registration.Tenant, registration.UseCase, ct);
        if (enrollment is null)
        {
            return Result<ModelVersionSummary>.NotFound(NotEnrolled(registration.Tenant, registration.UseCase));
        }

        await using var db = await dbs.CreateDbContextAsync(ct);
        var dataset = await db.DatasetVersions.AsNoTracking()
            .FirstOrDefaultAsync(d => d.EnrollmentId == enrollment.Id && d.Number == registration.DatasetVersionNumber, ct);
        var errors = new ValidationErrors();
        CheckReport(registration.Report, enrollment.UseCase!, errors);
        if (dataset is null)
        {
            errors.Add("datasetVersion", $"'{registration.Tenant}' has no version {registration.DatasetVersionNumber} of its '{registration.UseCase}' dataset.");
        }

        if (registration.RulesVersionNumber != 0 && !await db.FeatureRuleVersions.AnyAsync(
                r => r.EnrollmentId == enrollment.Id && r.Number == registration.RulesVersionNumber, ct))
        {
            errors.Add("rulesVersion", $"'{registration.Tenant}' has no version {registration.RulesVersionNumber} of its '{registration.UseCase}' rules.");
        }

        var pooled = await CheckServingAsync(db, registration.Serving, enrollment, errors, ct);
        if (errors.Any)
        {
            return Result<ModelVersionSummary>.Invalid(errors);
        }

        var version = NewVersion(registration.Report, enrollment.UseCaseId, enrollment.Tenant!.Region, registration.TriggeredBy, registration.RunId);
        version.Line = ModelLines.ForEnrollment(enrollment.Id);
        version.EnrollmentId = enrollment.Id;
        version.ArtifactPath = $"{ModelPrefix(enrollment.Tenant.Slug, registration.UseCase)}{version.Id:N}.model";
        version.DatasetVersionId = dataset!.Id;
        version.DatasetVersionNumber = dataset.Number;
        version.DatasetSha256 = dataset.Sha256;
        version.RulesVersionNumber = registration.RulesVersionNumber;
        if (registration.Serving is { } serving)
        {
            version.ServingChoice = serving.Choice;
            version.ServingReason = serving.Reason;
            version.PooledVersionId = pooled!.Id;
            version.PooledHeadlineValue = serving.PooledHeadlineValue;
        }

        return await StoreAsync(version, artifact, enrollment.Tenant.Slug, ct);
    }

    /// <summary>Stores a pooled model of one use case in one region and records it, numbered per use case × region.</summary>
    public async Task<Result<ModelVersionSummary>> RegisterPooledAsync(PooledRegistration registration, Stream artifact, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var useCase = await db.UseCases.AsNoTracking().FirstOrDefaultAsync(u => u.Key == registration.UseCase, ct);
        if (useCase is null)
        {
            return Result<ModelVersionSummary>.NotFound($"There is no use case '{registration.UseCase}'.");
        }

        var errors = new ValidationErrors();
        if (!regions.Exists(registration.Region))
        {
            errors.Add("region", $"Region '{registration.Region}' is not configured.");
        }

        CheckReport(registration.Report, useCase, errors);

        await CheckPooledSourcesAsync(db, registration, useCase.Id, errors, ct);
        if (errors.Any)
        {
            return Result<ModelVersionSummary>.Invalid(errors);
        }

        var version = NewVersion(registration.Report, useCase.Id, registration.Region, registration.TriggeredBy, registration.RunId);
        version.Kind = ModelVersionKinds.Pooled;
        version.Line = ModelLines.ForPool(useCase.Id, registration.Region);
        version.ArtifactPath = $"{PooledPrefix(registration.UseCase)}{version.Id:N}.model";
        version.PooledLineageJson = JsonSerializer.Serialize(registration.Sources, DatasetService.JsonOptions);
        return await StoreAsync(version, artifact, null, ct);
    }

    /// <summary>Where an enrollment's own model files live in its tenant's region store.</summary>
    public static string ModelPrefix(string tenantSlug, string useCase) => $"{ArtifactPath.TenantRoot(tenantSlug)}models/{useCase}/";

    /// <summary>Where the pooled models of a use case live in a region's store (outside every tenant's folder).</summary>
    public static string PooledPrefix(string useCase) => $"pooled/{useCase}/";

    private async Task<Result<ModelVersionSummary>> StoreAsync(ModelVersion version, Stream artifact, string? tenant, CancellationToken ct)
    {
        var store = regions.StoreFor(version.Region);
        try
        {
            var written = await store.WriteHashedAsync(version.ArtifactPath, artifact, long.MaxValue, ct)
                ?? throw new InvalidOperationException("An artifact without a size limit was refused as too large.");
            if (written.Size == 0)
            {
                await store.DeleteAsync(version.ArtifactPath, CancellationToken.None);
                return Result<ModelVersionSummary>.Invalid("artifact", "The model artifact is empty.");
            }

            version.ArtifactSha256 = written.Sha256;
            version.ArtifactSize = written.Size;
            await InsertWithNumberAsync(version, ct);
        }
        catch
        {
            await store.DeleteAsync(version.ArtifactPath, CancellationToken.None);
            throw;
        }

        return Result<ModelVersionSummary>.Ok(Summary(version, tenant, await UseCaseKeyAsync(version.UseCaseId, ct), []));
    }

    /// <summary>Takes the next number of the version's line; a registration that lost the race for it takes the next one.</summary>
    private async Task InsertWithNumberAsync(ModelVersion version, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            version.Number = (await db.ModelVersions.Where(v => v.Line == version.Line).MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
            db.ModelVersions.Add(version);
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt < NumberAttempts)
            {
                // Another registration took the number: the next attempt reads the new maximum. Any other failure is real.
                if (!await NumberTakenAsync(version, ct))
                {
                    throw;
                }
            }
        }
    }

    private async Task<bool> NumberTakenAsync(ModelVersion version, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ModelVersions.AnyAsync(v => v.Line == version.Line && v.Number == version.Number && v.Id != version.Id, ct);
    }

    private ModelVersion NewVersion(ModelReport report, Guid useCaseId, string region, string actor, Guid? runId) => new()
    {
        Id = Guid.NewGuid(), Line = "", UseCaseId = useCaseId, Region = region, Task = report.Task, Trainer = report.Trainer,
        HyperparametersJson = JsonSerializer.Serialize(report.Hyperparameters, DatasetService.JsonOptions), Seed = report.Seed,
        ReportJson = JsonSerializer.Serialize(report, DatasetService.JsonOptions),
        HeadlineMetric = report.Test.Headline, HeadlineValue = report.Test.HeadlineValue, HigherIsBetter = report.Test.HigherIsBetter,
        LibraryVersion = LibraryVersion, CodeVersion = Truncated(CodeVersion, 128), TrainingDuration = report.TrainingDuration,
        TriggeredBy = Truncated(actor, 256), RunId = runId, ArtifactPath = "", ArtifactSha256 = "",
        PredictionFingerprint = report.PredictionFingerprint, CreatedAt = Clock.UtcNow(time),
    };

    private static void CheckReport(ModelReport report, UseCase useCase, ValidationErrors errors)
    {
        if (report.Task != useCase.TaskType)
        {
            errors.Add("report", $"The report is of a {report.Task} model; '{useCase.Key}' is {useCase.TaskType}.");
        }

        if (string.IsNullOrWhiteSpace(report.Test.Headline) || report.Test.Headline.Length > 32 || !double.IsFinite(report.Test.HeadlineValue))
        {
            errors.Add("report", "The report has no finite headline metric with a name of at most 32 characters.");
        }

        if (string.IsNullOrWhiteSpace(report.Trainer) || report.Trainer.Length > 64)
        {
            errors.Add("report", "The report names no trainer, or one longer than 64 characters.");
        }

        if (report.PredictionFingerprint.Length is 0 or > 64)
        {
            errors.Add("report", "The report's prediction fingerprint must be a hash of at most 64 characters.");
        }
    }

    private static async Task<ModelVersion?> CheckServingAsync(
        ControlPlaneDbContext db, ServingDecision? serving, Enrollment enrollment, ValidationErrors errors, CancellationToken ct)
    {
        if (serving is null)
        {
            return null;
        }

        if (serving.Choice is not (ServingChoices.Own or ServingChoices.Pooled))
        {
            errors.Add("serving", $"The serving choice must be '{ServingChoices.Own}' or '{ServingChoices.Pooled}', not '{serving.Choice}'.");
        }

        if (string.IsNullOrWhiteSpace(serving.Reason) || serving.Reason.Length > 1000)
        {
            errors.Add("serving", "The own-versus-pooled decision needs its reason, of at most 1,000 characters.");
        }

        if (serving.PooledHeadlineValue is { } value && !double.IsFinite(value))
        {
            errors.Add("serving", "The pooled model's headline metric on the test split must be a finite number.");
        }

        var line = ModelLines.ForPool(enrollment.UseCaseId, enrollment.Tenant!.Region);
        var pooled = await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Line == line && v.Number == serving.PooledNumber, ct);
        if (pooled is null)
        {
            errors.Add("serving", $"There is no pooled version {serving.PooledNumber} of '{enrollment.UseCase!.Key}' in region '{enrollment.Tenant.Region}'.");
        }

        return pooled;
    }

    private static async Task CheckPooledSourcesAsync(
        ControlPlaneDbContext db, PooledRegistration registration, Guid useCaseId, ValidationErrors errors, CancellationToken ct)
    {
        if (registration.Sources.Count == 0)
        {
            errors.Add("sources", "A pooled model lists the tenants' dataset versions it was trained on; the list is empty.");
            return;
        }

        var ids = registration.Sources.Select(s => s.DatasetVersionId).ToArray();
        var found = await db.DatasetVersions.AsNoTracking().Where(d => ids.Contains(d.Id))
            .Select(d => new { d.Id, d.Region, d.Enrollment!.UseCaseId }).ToListAsync(ct);
        foreach (var source in registration.Sources)
        {
            var dataset = found.FirstOrDefault(d => d.Id == source.DatasetVersionId);
            if (dataset is null || dataset.UseCaseId != useCaseId || dataset.Region != registration.Region)
            {
                errors.Add("sources", $"Dataset version {source.DatasetVersionNumber} of '{source.Tenant}' is not a '{registration.UseCase}' dataset in region '{registration.Region}'.");
            }
        }
    }

    private async Task<Enrollment?> FindEnrollmentAsync(string tenant, string useCase, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Enrollments.AsNoTracking().Include(e => e.Tenant).Include(e => e.UseCase)
            .FirstOrDefaultAsync(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase, ct);
    }

    private async Task<string> UseCaseKeyAsync(Guid useCaseId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.UseCases.Where(u => u.Id == useCaseId).Select(u => u.Key).FirstAsync(ct);
    }

    private static string NotEnrolled(string tenant, string useCase) => $"Tenant '{tenant}' is not enrolled in '{useCase}'.";

    private static string Truncated(string text, int max) => text.Length <= max ? text : text[..max];
}
