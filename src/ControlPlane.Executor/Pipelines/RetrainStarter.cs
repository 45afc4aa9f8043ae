using ControlPlane.Core.Tenants;
using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Executor.Runs;
using ControlPlane.Core.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Executor.Pipelines;

/// <summary>Starts retrain and reproduce runs for the buttons and <c>POST .../retrain</c>, <c>.../reproduce</c>: the same checks and the same run either way.</summary>
public sealed class RetrainStarter(IDbContextFactory<ControlPlaneDbContext> dbs, RunService runs)
{
    /// <summary>A <c>retrain</c> run of one enrollment; not found when the tenant is not enrolled in the use case.</summary>
    public async Task<Result<RunSummary>> StartAsync(string tenant, string useCase, string trigger, string actor, CancellationToken ct = default)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (!await db.Enrollments.AnyAsync(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase, ct))
            {
                return Result<RunSummary>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
            }
        }

        return await runs.StartAsync(new StartRunRequest { Pipeline = RetrainPipelines.Retrain, Tenant = tenant, UseCase = useCase }, trigger, actor, ct);
    }

    /// <summary>A <c>reproduce</c> run of one version of the enrollment's model; not found (naming the version) when there is no such version.</summary>
    public async Task<Result<RunSummary>> StartReproduceAsync(string tenant, string useCase, int version, string trigger, string actor, CancellationToken ct = default)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (!await db.ModelVersions.AnyAsync(v => v.Kind == ModelVersionKinds.Own && v.Number == version
                    && v.Enrollment!.Tenant!.Slug == tenant && v.Enrollment.UseCase!.Key == useCase, ct))
            {
                return Result<RunSummary>.NotFound(ModelRegistry.NoVersion(tenant, useCase, version));
            }
        }

        return await runs.StartAsync(new StartRunRequest
        {
            Pipeline = ReproducePipeline.Name, Tenant = tenant, UseCase = useCase,
            Parameters = new() { [ReproducePipeline.VersionParameter] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        }, trigger, actor, ct);
    }

    /// <summary>A <c>retrain-all</c> run over every tenant enrolled in the use case; not found for an unknown use case.</summary>
    public async Task<Result<RunSummary>> StartAllAsync(string useCase, string trigger, string actor, CancellationToken ct = default)
    {
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            if (!await db.UseCases.AnyAsync(u => u.Key == useCase, ct))
            {
                return Result<RunSummary>.NotFound($"Use case '{useCase}' does not exist.");
            }
        }

        return await runs.StartAsync(new StartRunRequest { Pipeline = RetrainPipelines.RetrainAll, UseCase = useCase }, trigger, actor, ct);
    }
}
