using System.Text.Json;
using ControlPlane.Core.Common;
using ControlPlane.Core.Datasets;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Registry;

/// <summary>
/// Reproduction outcomes of own versions, kept as small JSON files next to the version's artifact in its region store
/// (<c>…/models/{useCase}/{versionId}/reproductions/{runId}.json</c>): no table, nothing registered, no alias moved.
/// </summary>
public sealed partial class ModelRegistry
{
    /// <summary>Stores the outcome of a reproduce run of the enrollment's version; not found for an unknown version.</summary>
    public async Task<Result<ReproductionOutcome>> SaveReproductionAsync(string tenant, string useCase, ReproductionOutcome outcome, CancellationToken ct = default)
    {
        var version = await OwnVersionAsync(tenant, useCase, outcome.Version, ct);
        if (version is null)
        {
            return Result<ReproductionOutcome>.NotFound(NoVersion(tenant, useCase, outcome.Version));
        }

        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(outcome, DatasetService.JsonOptions));
        await regions.StoreFor(version.Region).WriteAsync($"{ReproductionsPrefix(version)}{outcome.RunId:N}.json", content, ct);
        return Result<ReproductionOutcome>.Ok(outcome);
    }

    /// <summary>The stored reproduction outcomes of the enrollment's version, newest first; not found for an unknown version.</summary>
    public async Task<Result<IReadOnlyList<ReproductionOutcome>>> ReproductionsAsync(string tenant, string useCase, int number, CancellationToken ct = default)
    {
        var version = await OwnVersionAsync(tenant, useCase, number, ct);
        if (version is null)
        {
            return Result<IReadOnlyList<ReproductionOutcome>>.NotFound(NoVersion(tenant, useCase, number));
        }

        var store = regions.StoreFor(version.Region);
        var outcomes = new List<ReproductionOutcome>();
        foreach (var path in await store.ListAsync(ReproductionsPrefix(version), ct))
        {
            await using var stream = await store.OpenReadAsync(path, ct);
            if (stream is not null && await JsonSerializer.DeserializeAsync<ReproductionOutcome>(stream, DatasetService.JsonOptions, ct) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }

        return Result<IReadOnlyList<ReproductionOutcome>>.Ok(outcomes.OrderByDescending(o => o.At).ToList());
    }

    /// <summary>Beside the artifact: <c>…/models/{useCase}/{versionId}/reproductions/</c>.</summary>
    private static string ReproductionsPrefix(ModelVersion version) =>
        $"{version.ArtifactPath[..version.ArtifactPath.LastIndexOf('/')]}/{version.Id:N}/reproductions/";

    private async Task<ModelVersion?> OwnVersionAsync(string tenant, string useCase, int number, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Kind == ModelVersionKinds.Own && v.Number == number
            && v.Enrollment!.Tenant!.Slug == tenant && v.Enrollment.UseCase!.Key == useCase, ct);
    }

    /// <summary>"'acme' has no version 7 of its 'churn-risk' model.": the not-found message of an own version.</summary>
    public static string NoVersion(string tenant, string useCase, int number) =>
        $"'{tenant}' has no version {number} of its '{useCase}' model.";
}
