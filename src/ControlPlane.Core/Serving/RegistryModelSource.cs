using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using Microsoft.EntityFrameworkCore;
using ControlPlane.ML.Training;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Core.Serving;

/// <summary>Loads model versions for the <see cref="ModelCache"/> from the registry: the artifact from its region's store.</summary>
public sealed class RegistryModelSource(IServiceScopeFactory scopes) : IModelSource
{
    public async Task<(TrainedModel Model, long ArtifactBytes)> LoadAsync(Guid versionId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
        await using var artifact = await registry.OpenArtifactAsync(versionId, ct)
                                   ?? throw new ModelUnavailableException($"Model version {versionId} does not exist.");
        using var buffer = new MemoryStream();
        await artifact.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        return (TrainedModel.Load(buffer), buffer.Length);
    }

    public async Task<string?> TenantOfAsync(Guid versionId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync(ct);
        return await db.ModelVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Enrollment!.Tenant!.Slug).FirstOrDefaultAsync(ct);
    }
}
