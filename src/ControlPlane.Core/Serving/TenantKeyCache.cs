using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.Core.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.Core.Serving;

/// <summary>
/// Which tenant a predict or feedback API key belongs to, remembered for <see cref="Lifetime"/> so the hot path does not
/// read the database on every request. Entries are keyed by (the first 128 bits of) the SHA-256 of the key, never the key itself. Rotating or
/// revoking a key, or offboarding its tenant, forgets everything here at once; another node stops accepting a revoked
/// key within <see cref="Lifetime"/>. Unknown keys are not remembered: each is checked against the database.
/// </summary>
public sealed class TenantKeyCache(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<UInt128, (string Tenant, long At)> _known = new();

    /// <summary>The slug of the key's tenant; null for a missing, unknown, malformed or revoked key.</summary>
    public ValueTask<string?> TenantOfAsync(string? key, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return ValueTask.FromResult<string?>(null);
        }

        var id = Id(key);
        return _known.TryGetValue(id, out var hit) && time.GetElapsedTime(hit.At) < Lifetime
            ? ValueTask.FromResult<string?>(hit.Tenant) // remembered: no task
            : AuthenticateAsync(key, id, ct);
    }

    private async ValueTask<string?> AuthenticateAsync(string key, UInt128 id, CancellationToken ct)
    {
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

    /// <summary>The first 128 bits of the key's SHA-256, computed without an allocation (the predict route's hot path).</summary>
    private static UInt128 Id(string key)
    {
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        Span<byte> utf8 = length <= 512 ? stackalloc byte[length] : new byte[length];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(key, utf8)], hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    /// <summary>Forgets every key (a key was rotated or revoked, or a tenant offboarded).</summary>
    public void Forget() => _known.Clear();
}
