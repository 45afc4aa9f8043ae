using System.Reflection;
using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Options;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Registry;

/// <summary>
/// The model registry: versions with lineage (artifact in the region store, row in the database, both or neither),
/// the champion and challenger aliases with their history, the promotion gate, manual promote and rollback, and
/// "which version was live at D". Own registration lives here; pooled registration and the lineage checks in
/// ModelRegistry.Pooled, reading in .Queries, promote and rollback in .Aliases, the gate in .Gate, history and live-at in
/// .History, and the alias moves they all make in .Moves.
/// </summary>
public sealed partial class ModelRegistry(
    RegionCatalog regions, IDbContextFactory<ControlPlaneDbContext> dbs, TimeProvider time, AliasMoves moves)
{
    /// <summary>Registrations racing for a number retry with the next one this many times.</summary>
    private const int NumberAttempts = 5;

    /// <summary>
    /// ML.NET's package version ("5.0.1"), recorded with every version. Its assembly version is pinned at 1.0.0.0 across
    /// releases, so the informational version (without the build's commit suffix) is the one that tells releases apart.
    /// </summary>
    public static string LibraryVersion { get; } =
        typeof(Microsoft.ML.MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

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

        var stored = await StoreAsync(version, artifact, enrollment.Tenant.Slug, ct);
        if (stored.IsOk && registration.Serving is not null)
        {
            // A pooled champion's rows are mapped by the newest own version that chose it: serving re-reads the mapping.
            moves.Raise(enrollment.Id);
        }

        return stored;
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
        HeadlineMetric = report.Test.Headline, HeadlineValue = Finite(report.Test.HeadlineValue), HigherIsBetter = report.Test.HigherIsBetter,
        HeadlineLow = report.Test.HeadlineInterval?.Low, HeadlineHigh = report.Test.HeadlineInterval?.High,
        LeakSuspected = report.Leakage?.Suspected == true,
        LibraryVersion = LibraryVersion, CodeVersion = Truncated(CodeVersion, 128), TrainingDuration = report.TrainingDuration,
        TrainingCpuSeconds = report.TrainingCpu?.TotalSeconds,
        TriggeredBy = Truncated(actor, 256), RunId = runId, ArtifactPath = "", ArtifactSha256 = "",
        PredictionFingerprint = report.PredictionFingerprint, CreatedAt = Clock.UtcNow(time),
    };

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

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
