using System.Diagnostics;
using System.Diagnostics.Metrics;
using ControlPlane.Core.Options;
using ControlPlane.ML.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Serving;

/// <summary>Where the cache gets a model version it does not hold: the loaded model and its artifact's size in bytes.</summary>
public interface IModelSource
{
    /// <exception cref="ModelUnavailableException">The version or its artifact does not exist.</exception>
    Task<(TrainedModel Model, long ArtifactBytes)> LoadAsync(Guid versionId, CancellationToken ct);

    /// <summary>The tenant an own version belongs to (a pooled model reads it as a feature of the rows that version maps); null when unknown.</summary>
    Task<string?> TenantOfAsync(Guid versionId, CancellationToken ct) => Task.FromResult<string?>(null);
}

/// <summary>A model version the cache could not load; the message says which and why.</summary>
public class ModelUnavailableException(string message) : Exception(message);

/// <summary>
/// A tenant's own version that cannot map rows onto a pooled model's columns: its artifact was written before the
/// features' value columns were recorded (<see cref="ModelInput.FeatureValues"/>). Retraining the enrollment fixes it.
/// </summary>
public sealed class MappingUnavailableException(string message) : ModelUnavailableException(message);

/// <summary>
/// Loaded model versions of one process, for real-time scoring. A version is loaded on its first request, once however
/// many requests miss at the same moment (they all await the one load); loaded versions are counted against a memory
/// budget by their estimated size (a fixed part plus a multiple of the artifact's size, both measured by the serving
/// benchmark) and the least recently used leave when it is exceeded. Each version keeps a small pool
/// of row scorers (ML.NET's row machinery is not thread-safe): a request rents one with <see cref="RentAsync"/> and
/// returns it by disposing the lease. Versions are immutable, so a champion change is a new key: requests already
/// holding the old version finish on it, new ones load the new one — no request fails during the swap.
/// <para>
/// A tenant served by its region's pooled model is scored through two entries (<see cref="RentPooledAsync"/>): the
/// pooled version, loaded once and shared by every tenant it serves, and the tenant's mapping — only the fitted feature
/// rules of one of its own versions (<see cref="CanonicalMapping"/>), keyed by that version and the pooled one, with
/// its own pool of row mappers. Both count against the budget and leave by recency like any entry.
/// </para>
/// </summary>
public sealed class ModelCache
{
    public const string MeterName = "ControlPlane.Serving";

    private readonly IModelSource _source;
    private readonly ILogger<ModelCache>? _logger;
    private readonly long _budget;
    private readonly long _fixedBytes;
    private readonly double _bytesPerArtifactByte;
    private readonly int _idleScorers;
    private readonly Lock _gate = new();
    private readonly Dictionary<CacheKey, Slot> _slots = [];
    private readonly LinkedList<CacheKey> _recency = []; // most recent first; loaded entries only
    private long _bytes;
    private long _peakBytes;
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _loads;
    private readonly Histogram<double> _loadSeconds;

    public ModelCache(IModelSource source, IOptions<ControlPlaneOptions> options, IMeterFactory? meters = null, ILogger<ModelCache>? logger = null)
    {
        _source = source;
        _logger = logger;
        var serving = options.Value.Serving;
        _budget = serving.CacheMemoryMegabytes * 1024L * 1024L;
        _fixedBytes = serving.FixedKilobytesPerModel * 1024L;
        _bytesPerArtifactByte = serving.RetainedBytesPerArtifactByte;
        _idleScorers = serving.IdleScorersPerModel;
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        meter.CreateObservableCounter("controlplane.model_cache.hits", () => Interlocked.Read(ref _hits), description: "Requests that found their model loaded.");
        meter.CreateObservableCounter("controlplane.model_cache.misses", () => Interlocked.Read(ref _misses), description: "Requests that had to wait for a load.");
        meter.CreateObservableCounter("controlplane.model_cache.evictions", () => Interlocked.Read(ref _evictions), description: "Models dropped to stay within the memory budget.");
        meter.CreateObservableGauge("controlplane.model_cache.models", () => Count, description: "Entries loaded: model versions and tenants' mappings onto pooled models.");
        meter.CreateObservableGauge("controlplane.model_cache.bytes", () => Interlocked.Read(ref _bytes), unit: "By", description: "Estimated memory of the loaded models.");
        _loadSeconds = meter.CreateHistogram<double>("controlplane.model_cache.load_duration", unit: "s", description: "Time to load a model version.");
    }

    /// <summary>Hits, misses, evictions and loads so far; loaded models and their estimated memory now and at the peak.</summary>
    public ModelCacheStats Stats
    {
        get
        {
            lock (_gate)
            {
                return new ModelCacheStats(_hits, _misses, _evictions, _loads, _recency.Count, _bytes, _peakBytes, _budget);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _recency.Count;
            }
        }
    }

    /// <summary>The loaded model versions (not tenants' mappings), most recently used first (at most <paramref name="count"/>).</summary>
    public IReadOnlyList<Guid> MostRecent(int count)
    {
        lock (_gate)
        {
            return _recency.Where(k => k.Pooled is null).Select(k => k.Version).Take(count).ToArray();
        }
    }

    /// <summary>Whether the model version <paramref name="versionId"/> is loaded now.</summary>
    public bool Holds(Guid versionId) => Holds(new CacheKey(versionId, null));

    /// <summary>Whether the mapping of own version <paramref name="mappingVersionId"/> onto pooled version <paramref name="pooledVersionId"/> is loaded now.</summary>
    public bool HoldsMapping(Guid mappingVersionId, Guid pooledVersionId) => Holds(new CacheKey(mappingVersionId, pooledVersionId));

    private bool Holds(CacheKey key)
    {
        lock (_gate)
        {
            return _slots.TryGetValue(key, out var slot) && slot.Entry is not null;
        }
    }

    /// <summary>A row scorer of the version, loading the version first when it is not held.</summary>
    /// <exception cref="ModelUnavailableException">The version cannot be loaded.</exception>
    public async Task<ModelLease> RentAsync(Guid versionId, CancellationToken ct = default)
    {
        var entry = (ModelEntry)await AcquireAsync(new CacheKey(versionId, null), () => LoadModelAsync(versionId), ct);
        return entry.Rent();
    }

    /// <summary>A row scorer of the version when it is loaded; null (nothing counted) when it is not. The predict route's hit path: no task.</summary>
    public ModelLease? TryRent(Guid versionId) =>
        TryHit(new CacheKey(versionId, null)) is ModelEntry entry ? entry.Rent() : null;

    /// <summary>
    /// A scorer of pooled version <paramref name="pooledVersionId"/> for rows in a tenant's own column names, mapped by
    /// the fitted rules of its own version <paramref name="mappingVersionId"/>; each part is loaded first when not held.
    /// </summary>
    /// <exception cref="MappingUnavailableException">The own version's artifact cannot map rows (written before mappings were recorded).</exception>
    /// <exception cref="ModelUnavailableException">Either version cannot be loaded.</exception>
    public async Task<PooledLease> RentPooledAsync(Guid pooledVersionId, Guid mappingVersionId, CancellationToken ct = default)
    {
        var pooled = await RentAsync(pooledVersionId, ct);
        try
        {
            var columns = pooled.Model.InputColumns;
            var entry = (MappingEntry)await AcquireAsync(
                new CacheKey(mappingVersionId, pooledVersionId), () => LoadMappingAsync(mappingVersionId, columns), ct);
            return new PooledLease(pooled, entry, mappingVersionId);
        }
        catch
        {
            pooled.Dispose();
            throw;
        }
    }

    /// <summary>The entry under <paramref name="key"/>; on a miss the first request loads it and the others await that load.</summary>
    private async Task<Entry> AcquireAsync(CacheKey key, Func<Task<Entry>> load, CancellationToken ct)
    {
        if (TryHit(key) is { } hit)
        {
            return hit;
        }

        Slot slot;
        bool loader;
        lock (_gate)
        {
            if (_slots.TryGetValue(key, out var existing) && existing.Entry is { } loaded)
            {
                _hits++; // loaded since the look above
                Touch(existing);
                return loaded;
            }

            _misses++;
            loader = existing is null;
            slot = existing ?? new Slot();
            if (loader)
            {
                _slots[key] = slot;
            }
        }

        if (loader)
        {
            _ = LoadAsync(key, slot, load);
        }

        return await slot.Loaded.Task.WaitAsync(ct);
    }

    /// <summary>The loaded entry under <paramref name="key"/>, made the most recently used; null when it is not loaded.</summary>
    private Entry? TryHit(CacheKey key)
    {
        lock (_gate)
        {
            if (!_slots.TryGetValue(key, out var slot) || slot.Entry is not { } loaded)
            {
                return null;
            }

            _hits++;
            Touch(slot);
            return loaded;
        }
    }

    private void Touch(Slot slot)
    {
        if (_recency.First != slot.Node)
        {
            _recency.Remove(slot.Node!);
            _recency.AddFirst(slot.Node!);
        }
    }

    /// <summary>
    /// The loaded model of a version, for callers that score whole tables (an evaluation on a test split) rather than
    /// rows: loaded once and shared as for <see cref="RentAsync"/>.
    /// </summary>
    /// <exception cref="ModelUnavailableException">The version cannot be loaded.</exception>
    public async Task<TrainedModel> ModelAsync(Guid versionId, CancellationToken ct = default)
    {
        using var lease = await RentAsync(versionId, ct);
        return lease.Model;
    }

    /// <summary>
    /// Drops a version now (it was deleted, or a test wants a cold start), with every mapping it is part of; leases
    /// already out finish on it.
    /// </summary>
    public void Evict(Guid versionId)
    {
        lock (_gate)
        {
            foreach (var (key, slot) in _slots.Where(s => (s.Key.Version == versionId || s.Key.Pooled == versionId) && s.Value.Entry is not null).ToArray())
            {
                Remove(key, slot);
            }
        }
    }

    private async Task<Entry> LoadModelAsync(Guid versionId)
    {
        var (model, artifactBytes) = await _source.LoadAsync(versionId, CancellationToken.None);
        model.FlatRulesMismatch += why => _logger?.LogWarning(
            "Model version {VersionId}: the flat rules program differed from ML.NET ({Why}); its rows are mapped by ML.NET from now on", versionId, why);
        return new ModelEntry(versionId, model, Estimate(artifactBytes), _idleScorers);
    }

    /// <summary>Only the own version's fitted rules are kept, and counted by their own size: the trainer is left behind.</summary>
    private async Task<Entry> LoadMappingAsync(Guid versionId, IReadOnlyList<ML.Rules.RawColumn> canonicalColumns)
    {
        var (own, _) = await _source.LoadAsync(versionId, CancellationToken.None);
        var tenant = await _source.TenantOfAsync(versionId, CancellationToken.None);
        var mapping = CanonicalMapping.From(own, tenant) ?? throw new MappingUnavailableException(
            $"Model version {versionId} was trained before models recorded where their rules leave each feature's value, so it cannot map rows onto a pooled model's columns.");
        var probe = mapping.CreateRowMapper(canonicalColumns); // fails here, not in a request, if the rules lack a column
        return new MappingEntry(mapping, canonicalColumns, probe, Estimate(mapping.SavedBytes()), _idleScorers);
    }

    private long Estimate(long artifactBytes) => _fixedBytes + (long)(artifactBytes * _bytesPerArtifactByte);

    private async Task LoadAsync(CacheKey key, Slot slot, Func<Task<Entry>> load)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var entry = await load();
            _loadSeconds.Record(watch.Elapsed.TotalSeconds);
            lock (_gate)
            {
                _loads++;
                slot.Entry = entry;
                slot.Node = _recency.AddFirst(key);
                _bytes += entry.Bytes;
                _peakBytes = Math.Max(_peakBytes, _bytes); // the new model is in memory before an old one can leave
                while (_bytes > _budget && _recency.Count > 1)
                {
                    var oldest = _recency.Last!.Value;
                    Remove(oldest, _slots[oldest]);
                    _evictions++;
                }
            }

            slot.Loaded.SetResult(entry);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _slots.Remove(key); // not cached: the next request tries again
            }

            slot.Loaded.SetException(ex is ModelUnavailableException ? ex : new ModelUnavailableException($"Model version {key.Version} could not be loaded: {Common.ServerPaths.Scrub(ex.Message)}"));
        }
    }

    private void Remove(CacheKey key, Slot slot)
    {
        _slots.Remove(key);
        _recency.Remove(slot.Node!);
        _bytes -= slot.Entry!.Bytes;
    }

    /// <summary>A model version (<paramref name="Pooled"/> null), or own version <paramref name="Version"/>'s mapping onto pooled version <paramref name="Pooled"/>.</summary>
    private readonly record struct CacheKey(Guid Version, Guid? Pooled);

    private sealed class Slot
    {
        public TaskCompletionSource<Entry> Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Entry? Entry { get; set; }
        public LinkedListNode<CacheKey>? Node { get; set; }
    }

    internal abstract class Entry(long bytes)
    {
        public long Bytes { get; } = bytes;

        /// <summary>See <see cref="IServingLease.ReaderState"/>.</summary>
        public object? ReaderState { get; set; }
    }

    internal sealed class ModelEntry(Guid versionId, TrainedModel model, long bytes, int idleScorers) : Entry(bytes)
    {
        // Idle scorers in slots taken and filled with interlocked exchanges: no lock on the predict path (profiled under
        // load in decision 0023, the lock around a stack here was the largest single cost).
        private readonly ModelRowScorer?[] _idle = new ModelRowScorer?[idleScorers];

        public Guid VersionId { get; } = versionId;
        public TrainedModel Model { get; } = model;

        public ModelLease Rent()
        {
            for (var i = 0; i < _idle.Length; i++)
            {
                if (Volatile.Read(ref _idle[i]) is not null && Interlocked.Exchange(ref _idle[i], null) is { } scorer)
                {
                    return new ModelLease(this, scorer);
                }
            }

            return new ModelLease(this, Model.CreateRowScorer());
        }

        public void Return(ModelRowScorer scorer)
        {
            for (var i = 0; i < _idle.Length; i++)
            {
                if (Volatile.Read(ref _idle[i]) is null && Interlocked.CompareExchange(ref _idle[i], scorer, null) is null)
                {
                    return;
                }
            }
        }
    }

    /// <summary>A tenant's mapping onto one pooled version's columns, with its idle row mappers.</summary>
    internal sealed class MappingEntry(
        CanonicalMapping mapping, IReadOnlyList<ML.Rules.RawColumn> canonicalColumns, CanonicalRowMapper first, long bytes, int idleMappers) : Entry(bytes)
    {
        private readonly Stack<CanonicalRowMapper> _idle = new([first]);

        public CanonicalMapping Mapping { get; } = mapping;

        public CanonicalRowMapper Rent()
        {
            lock (_idle)
            {
                if (_idle.TryPop(out var mapper))
                {
                    return mapper;
                }
            }

            return Mapping.CreateRowMapper(canonicalColumns);
        }

        public void Return(CanonicalRowMapper mapper)
        {
            lock (_idle)
            {
                if (_idle.Count < idleMappers)
                {
                    _idle.Push(mapper);
                }
            }
        }
    }
}

/// <param name="Bytes">Estimated memory of the loaded models now; <paramref name="PeakBytes"/> the most it has been.</param>
public sealed record ModelCacheStats(long Hits, long Misses, long Evictions, long Loads, int Models, long Bytes, long PeakBytes, long BudgetBytes);
