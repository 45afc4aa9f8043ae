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
/// The champion of each enrollment, kept in memory for the predict route: read from the database on first use and
/// dropped when the enrollment's aliases move (<see cref="AliasMoves"/>: on this node, or on another one through
/// <see cref="AliasMovesBus"/>). A node that missed a notification is right again within <see cref="SweepInterval"/>:
/// every sweep reads where all champion aliases point — one query, however many enrollments are held — and drops each
/// entry whose champion moved. Whatever a sweep does not see (an enrollment removed, a pooled champion's mapping, a
/// tenant that enrolled after a request found it not enrolled) is re-read after <see cref="RefreshInterval"/>, or
/// <see cref="AbsentRefreshInterval"/> for "not enrolled". Both happen beside the request that finds them due, once,
/// and that request is answered from what was held: re-reading each of a thousand busy enrollments every 5 s put 200
/// database reads a second on the node, 5 % of its CPU under load (decision 0023). A request resolves the champion
/// once and is scored by that version to its end, so a move never fails a request in flight.
/// </summary>
public sealed class ChampionDirectory
{
    /// <summary>How soon a champion moved on another node is seen when its notification was missed.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    /// <summary>How old a held champion may grow before it is re-read whole.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>How long "not enrolled" is believed.</summary>
    public static readonly TimeSpan AbsentRefreshInterval = TimeSpan.FromSeconds(5);

    private readonly IDbContextFactory<ControlPlaneDbContext> _dbs;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Tenant, string UseCase), (ChampionRef? Champion, long ReadAt)> _entries = new();
    private readonly ConcurrentDictionary<(string Tenant, string UseCase), byte> _refreshing = new();
    private long _sweptAt;
    private int _sweeping;

    public ChampionDirectory(IDbContextFactory<ControlPlaneDbContext> dbs, AliasMoves moves, TimeProvider time)
    {
        _dbs = dbs;
        _time = time;
        _sweptAt = time.GetTimestamp();
        moves.Moved += Drop;
    }

    /// <summary>The enrollment's champion; null when the tenant is not enrolled in the use case.</summary>
    public ValueTask<ChampionRef?> FindAsync(string tenant, string useCase, CancellationToken ct = default)
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _sweptAt)) >= SweepInterval && Interlocked.CompareExchange(ref _sweeping, 1, 0) == 0)
        {
            _ = SweepAsync();
        }

        var key = (tenant, useCase);
        if (_entries.TryGetValue(key, out var entry))
        {
            var due = entry.Champion is null ? AbsentRefreshInterval : RefreshInterval;
            if (_time.GetElapsedTime(entry.ReadAt) >= due && _refreshing.TryAdd(key, 0))
            {
                _ = RefreshAsync(key, entry);
            }

            return ValueTask.FromResult(entry.Champion); // held: no task
        }

        return ReadAndHoldAsync(key, ct);
    }

    private async ValueTask<ChampionRef?> ReadAndHoldAsync((string Tenant, string UseCase) key, CancellationToken ct)
    {
        var champion = await ReadAsync(key.Tenant, key.UseCase, ct);
        _entries[key] = (champion, _time.GetTimestamp());
        return champion;
    }

    private void Drop(Guid enrollmentId)
    {
        foreach (var entry in _entries.Where(e => e.Value.Champion?.EnrollmentId == enrollmentId))
        {
            _entries.TryRemove(entry);
        }
    }

    /// <summary>
    /// Reads where every champion alias points and drops the entries that point elsewhere (a move this node was not
    /// told of). The time of the sweep is taken before the read, so a move committed during it is caught by the next.
    /// </summary>
    private async Task SweepAsync()
    {
        var started = _time.GetTimestamp();
        try
        {
            await using var db = await _dbs.CreateDbContextAsync();
            var champions = await db.ModelAliases.AsNoTracking()
                .Where(a => a.Name == AliasNames.Champion)
                .Select(a => new { a.EnrollmentId, a.ModelVersionId })
                .ToDictionaryAsync(a => a.EnrollmentId, a => a.ModelVersionId);
            foreach (var entry in _entries)
            {
                if (entry.Value.Champion is { } held
                    && (champions.TryGetValue(held.EnrollmentId, out var now) ? now : (Guid?)null) != held.VersionId)
                {
                    _entries.TryRemove(entry);
                }
            }

            Interlocked.Exchange(ref _sweptAt, started);
        }
        catch (Exception)
        {
            // The database is out of reach: what is held stays, and the next request after the interval tries again.
            Interlocked.Exchange(ref _sweptAt, started);
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
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
