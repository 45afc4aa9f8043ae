using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ControlPlane.Core.Data;

/// <summary>
/// Readiness: the product database answers within a few seconds. The description is fixed text — a load balancer's
/// probe is anonymous, so neither the connection string nor the driver's exception text may reach it.
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ControlPlaneDbContext> dbs) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(limit.Token);
            return await db.Database.CanConnectAsync(limit.Token)
                ? HealthCheckResult.Healthy("The database answers.")
                : HealthCheckResult.Unhealthy("The database is unreachable.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The database did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception)
        {
            return HealthCheckResult.Unhealthy("The database is unreachable.");
        }
    }
}
