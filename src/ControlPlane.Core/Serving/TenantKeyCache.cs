using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.Core.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Core.Serving;

/// <summary>
/// Which tenant a predict or feedback API key belongs to, remembered for <see cref="Lifetime"/> so the hot path does not
/// read the database on every request. Entries are keyed by the SHA-256 of the key, never the key itself. Rotating or
/// revoking a key, or offboarding its tenant, forgets everything here at once; another node stops accepting a revoked
/// key within <see cref="Lifetime"/>. Unknown keys are not remembered: each is checked against the database.
/// </summary>
public sealed class TenantKeyCache(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (string Tenant, long At)> _known = new(StringComparer.Ordinal);

    /// <summary>The slug of the key's tenant; null for a missing, unknown, malformed or revoked key.</summary>
    public async Task<string?> TenantOfAsync(string? key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var id = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        if (_known.TryGetValue(id, out var hit) && time.GetElapsedTime(hit.At) < Lifetime)
        {
            return hit.Tenant;
        }

        await using var scope = scopes.CreateAsyncScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<TenantService>().AuthenticateKeyAsync(key, ct);
        if (tenant is null)
        {
            _known.TryRemove(id, out _);
            return null;
        }

        _known[id] = (tenant.Slug, time.GetTimestamp());
        return tenant.Slug;
    }

    /// <summary>Forgets every key (a key was rotated or revoked, or a tenant offboarded).</summary>
    public void Forget() => _known.Clear();
}
