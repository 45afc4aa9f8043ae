using System.Threading.RateLimiting;
using ControlPlane.Core.Options;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Serving;

/// <summary>
/// Requests per tenant on the predict and feedback routes: a token bucket per tenant holding
/// <see cref="ServingOptions.BurstPerTenant"/> requests and refilled at <see cref="ServingOptions.RequestsPerSecondPerTenant"/>.
/// The bucket is the authenticated key's tenant, so nobody can spend another tenant's allowance by calling its routes
/// without its key. One node's allowance: a cluster of N nodes admits up to N times as much.
/// </summary>
public sealed class TenantRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public TenantRateLimiter(IOptions<ControlPlaneOptions> options)
    {
        var serving = options.Value.Serving;
        var perTick = Math.Max(1, serving.RequestsPerSecondPerTenant / 10);
        _limiter = PartitionedRateLimiter.Create<string, string>(tenant => RateLimitPartition.GetTokenBucketLimiter(tenant, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = serving.BurstPerTenant,
                TokensPerPeriod = perTick,
                ReplenishmentPeriod = TimeSpan.FromSeconds((double)perTick / serving.RequestsPerSecondPerTenant),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Null when the request may go on; otherwise how long to wait before the next one is likely to be admitted.</summary>
    public TimeSpan? TryAcquire(string tenant)
    {
        using var lease = _limiter.AttemptAcquire(tenant);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    public void Dispose() => _limiter.Dispose();
}
