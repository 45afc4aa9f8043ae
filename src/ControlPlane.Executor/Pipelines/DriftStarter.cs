using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Monitoring.DriftCheck;
using ControlPlane.Core.Tenants;
using ControlPlane.Executor.Runs;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Executor.Pipelines;

/// <summary>Starts drift-check runs after checking the enrollment and the source: the same answers on the API and in the UI.</summary>
public sealed class DriftStarter(IDbContextFactory<ControlPlaneDbContext> dbs, RunService runs)
{
    /// <param name="source">batch, realtime, or null for both.</param>
    public async Task<Result<RunSummary>> StartAsync(string tenant, string useCase, string? source, string trigger, string actor, CancellationToken ct = default)
    {
        if (source is not null && !DriftChecks.Sources.Contains(source))
        {
            return Result<RunSummary>.Invalid("source", $"source must be one of {string.Join(", ", DriftChecks.Sources)}; it was '{source}'.");
        }

        if (!await EnrolledAsync(tenant, useCase, ct))
        {
            return Result<RunSummary>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
        }

        var parameters = new Dictionary<string, string>();
        if (source is not null) parameters[DriftPipelines.SourceParameter] = source;
        return await runs.StartAsync(new StartRunRequest { Pipeline = DriftPipelines.DriftCheck, Tenant = tenant, UseCase = useCase, Parameters = parameters },
            trigger, actor, ct);
    }

    /// <summary>A <c>monitor</c> run of the enrollment: drift of both sources, decay, SLAs, then the auto-retrain policy.</summary>
    public async Task<Result<RunSummary>> StartMonitorAsync(string tenant, string useCase, string trigger, string actor, CancellationToken ct = default)
    {
        if (!await EnrolledAsync(tenant, useCase, ct))
        {
            return Result<RunSummary>.NotFound(Enrollment.NotEnrolled(tenant, useCase));
        }

        return await runs.StartAsync(new StartRunRequest { Pipeline = MonitoringPipelines.Monitor, Tenant = tenant, UseCase = useCase }, trigger, actor, ct);
    }

    private async Task<bool> EnrolledAsync(string tenant, string useCase, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await Enrollment.FindIdAsync(db, tenant, useCase, ct) is not null;
    }
}
