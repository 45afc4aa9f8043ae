using System.Collections.Concurrent;
using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Serving;

/// <summary>Where a predict request goes: the enrollment and the version its champion alias points at (null: none yet).</summary>
/// <param name="Kind">"own" or "pooled".</param>
/// <param name="Mapping">A pooled champion: the enrollment's own version whose fitted rules map its rows onto the pooled
/// model's columns (null when the enrollment has no own version).</param>
public sealed record ChampionRef(Guid TenantId, Guid EnrollmentId, string Region, Guid? VersionId, string? Kind, int? Number, ModelVersionRef? Mapping = null);

/// <summary>
/// The champion of each enrollment, kept in memory for the predict route: read from the database on first use, dropped
/// when the enrollment's aliases move (<see cref="AliasMoves"/>: on this node, or on another one through
/// <see cref="AliasMovesBus"/>), and re-read after <see cref="RefreshInterval"/> in any case, so a node that missed a
/// notification is right again soon after it. The re-read happens beside the request that finds the entry due (once per
/// entry, however many requests find it so), which is answered from the entry it found: with a thousand busy
/// enrollments, reading them on the request path put a database read into several percent of all requests and into the
/// p99 (decision 0023). A request resolves the champion once and is scored by that version to its end, so a move never
/// fails a request in flight.
/// </summary>
public sealed class ChampionDirectory
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly IDbContextFactory<ControlPlaneDbContext> _dbs;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Tenant, string UseCase), (ChampionRef? Champion, long ReadAt)> _entries = new();
    private readonly ConcurrentDictionary<(string Tenant, string UseCase), byte> _refreshing = new();

    public ChampionDirectory(IDbContextFactory<ControlPlaneDbContext> dbs, AliasMoves moves, TimeProvider time)
    {
        _dbs = dbs;
        _time = time;
        moves.Moved += enrollmentId =>
        {
            foreach (var entry in _entries.Where(e => e.Value.Champion?.EnrollmentId == enrollmentId))
            {
                _entries.TryRemove(entry.Key, out _);
            }
        };
    }

    /// <summary>The enrollment's champion; null when the tenant is not enrolled in the use case.</summary>
    public async Task<ChampionRef?> FindAsync(string tenant, string useCase, CancellationToken ct = default)
    {
        var key = (tenant, useCase);
        if (_entries.TryGetValue(key, out var entry))
        {
            if (_time.GetElapsedTime(entry.ReadAt) >= RefreshInterval && _refreshing.TryAdd(key, 0))
            {
                _ = RefreshAsync(key, entry);
            }

            return entry.Champion;
        }

        var champion = await ReadAsync(tenant, useCase, ct);
        _entries[key] = (champion, _time.GetTimestamp());
        return champion;
    }

    /// <summary>Re-reads a due entry; the answer replaces it only if nothing else did meanwhile (a move drops entries, and a dropped one stays dropped).</summary>
    private async Task RefreshAsync((string Tenant, string UseCase) key, (ChampionRef? Champion, long ReadAt) seen)
    {
        try
        {
            var champion = await ReadAsync(key.Tenant, key.UseCase, CancellationToken.None);
            _entries.TryUpdate(key, (champion, _time.GetTimestamp()), seen);
        }
        catch (Exception)
        {
            // The database is out of reach: the entry stays as it was and the next request that finds it due tries again.
        }
        finally
        {
            _refreshing.TryRemove(key, out _);
        }
    }

    private async Task<ChampionRef?> ReadAsync(string tenant, string useCase, CancellationToken ct)
    {
        await using var db = await _dbs.CreateDbContextAsync(ct);
        var enrollment = await db.Enrollments.AsNoTracking()
            .Where(e => e.Tenant!.Slug == tenant && e.UseCase!.Key == useCase)
            .Select(e => new { e.Id, e.TenantId, e.Tenant!.Region })
            .FirstOrDefaultAsync(ct);
        if (enrollment is null)
        {
            return null;
        }

        var version = await db.ModelAliases.AsNoTracking()
            .Where(a => a.EnrollmentId == enrollment.Id && a.Name == AliasNames.Champion)
            .Select(a => new { a.ModelVersion!.Id, a.ModelVersion.Kind, a.ModelVersion.Number })
            .FirstOrDefaultAsync(ct);
        var mapping = version?.Kind == ModelVersionKinds.Pooled ? await MappingAsync(db, enrollment.Id, version.Id, ct) : null;
        return new ChampionRef(enrollment.TenantId, enrollment.Id, enrollment.Region, version?.Id, version?.Kind, version?.Number, mapping);
    }

    /// <summary>
    /// The own version whose fitted rules map the enrollment's rows onto pooled version <paramref name="pooledId"/>:
    /// the newest that chose to be served by it (its own-versus-pooled decision, made on exactly these rules), else the
    /// newest compared with it, else the newest own version (an analyst promoted a pool no version was compared with).
    /// </summary>
    public static async Task<ModelVersionRef?> MappingAsync(ControlPlaneDbContext db, Guid enrollmentId, Guid pooledId, CancellationToken ct)
    {
        var own = db.ModelVersions.AsNoTracking().Where(v => v.EnrollmentId == enrollmentId && v.Kind == ModelVersionKinds.Own);
        var found = await own.Where(v => v.PooledVersionId == pooledId && v.ServingChoice == ServingChoices.Pooled)
                        .OrderByDescending(v => v.Number).Select(v => new { v.Id, v.Number }).FirstOrDefaultAsync(ct)
                    ?? await own.Where(v => v.PooledVersionId == pooledId)
                        .OrderByDescending(v => v.Number).Select(v => new { v.Id, v.Number }).FirstOrDefaultAsync(ct)
                    ?? await own.OrderByDescending(v => v.Number).Select(v => new { v.Id, v.Number }).FirstOrDefaultAsync(ct);
        return found is null ? null : new ModelVersionRef(found.Id, ModelVersionKinds.Own, found.Number);
    }
}
