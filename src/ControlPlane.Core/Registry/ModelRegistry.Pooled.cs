using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Registry;

public sealed partial class ModelRegistry
{
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

    private static void CheckReport(ModelReport report, UseCase useCase, ValidationErrors errors)
    {
        if (report.Task != useCase.TaskType)
        {
            errors.Add("report", $"The report is of a {report.Task} model; '{useCase.Key}' is {useCase.TaskType}.");
        }

        // A headline may be unmeasured (NaN: test rows of one class, a tiny tenant's) but not infinite.
        if (string.IsNullOrWhiteSpace(report.Test.Headline) || report.Test.Headline.Length > 32 || double.IsInfinity(report.Test.HeadlineValue))
        {
            errors.Add("report", "The report has no headline metric with a name of at most 32 characters, or an infinite one.");
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
}
