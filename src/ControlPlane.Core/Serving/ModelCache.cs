using System.Diagnostics;
using System.Diagnostics.Metrics;
using ControlPlane.Core.Options;
using ControlPlane.ML.Training;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core.Serving;

/// <summary>Where the cache gets a model version it does not hold: the loaded model and its artifact's size in bytes.</summary>
public interface IModelSource
{
    /// <exception cref="ModelUnavailableException">The version or its artifact does not exist.</exception>
    Task<(TrainedModel Model, long ArtifactBytes)> LoadAsync(Guid versionId, CancellationToken ct);
}

/// <summary>A model version the cache could not load; the message says which and why.</summary>
public sealed class ModelUnavailableException(string message) : Exception(message);

/// <summary>
/// Loaded model versions of one process, for real-time scoring. A version is loaded on its first request, once however
/// many requests miss at the same moment (they all await the one load); loaded versions are counted against a memory
/// budget by their estimated size (a fixed part plus a multiple of the artifact's size, both measured by the serving
/// benchmark) and the least recently used leave when it is exceeded. Each version keeps a small pool
/// of row scorers (ML.NET's row machinery is not thread-safe): a request rents one with <see cref="RentAsync"/> and
/// returns it by disposing the lease. Versions are immutable, so a champion change is a new key: requests already
/// holding the old version finish on it, new ones load the new one — no request fails during the swap.
/// </summary>
public sealed class ModelCache
{
    public const string MeterName = "ControlPlane.Serving";

    private readonly IModelSource _source;
    private readonly long _budget;
    private readonly long _fixedBytes;
    private readonly double _bytesPerArtifactByte;
    private readonly int _idleScorers;
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Slot> _slots = [];
    private readonly LinkedList<Guid> _recency = []; // most recent first; loaded versions only
    private long _bytes;
    private long _peakBytes;
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _loads;
    private readonly Histogram<double> _loadSeconds;

    public ModelCache(IModelSource source, IOptions<ControlPlaneOptions> options, IMeterFactory? meters = null)
    {
        _source = source;
        var serving = options.Value.Serving;
        _budget = serving.CacheMemoryMegabytes * 1024L * 1024L;
        _fixedBytes = serving.FixedKilobytesPerModel * 1024L;
        _bytesPerArtifactByte = serving.RetainedBytesPerArtifactByte;
        _idleScorers = serving.IdleScorersPerModel;
        var meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        meter.CreateObservableCounter("controlplane.model_cache.hits", () => Interlocked.Read(ref _hits), description: "Requests that found their model loaded.");
        meter.CreateObservableCounter("controlplane.model_cache.misses", () => Interlocked.Read(ref _misses), description: "Requests that had to wait for a load.");
        meter.CreateObservableCounter("controlplane.model_cache.evictions", () => Interlocked.Read(ref _evictions), description: "Models dropped to stay within the memory budget.");
        meter.CreateObservableGauge("controlplane.model_cache.models", () => Count, description: "Models loaded.");
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

    /// <summary>The loaded versions, most recently used first (at most <paramref name="count"/>).</summary>
    public IReadOnlyList<Guid> MostRecent(int count)
    {
        lock (_gate)
        {
            return _recency.Take(count).ToArray();
        }
    }

    /// <summary>Whether <paramref name="versionId"/> is loaded now.</summary>
    public bool Holds(Guid versionId)
    {
        lock (_gate)
        {
            return _slots.TryGetValue(versionId, out var slot) && slot.Entry is not null;
        }
    }

    /// <summary>A row scorer of the version, loading the version first when it is not held.</summary>
    /// <exception cref="ModelUnavailableException">The version cannot be loaded.</exception>
    public async Task<ModelLease> RentAsync(Guid versionId, CancellationToken ct = default)
    {
        Slot slot;
        bool loader;
        lock (_gate)
        {
            if (_slots.TryGetValue(versionId, out var existing) && existing.Entry is { } loaded)
            {
                _hits++;
                _recency.Remove(existing.Node!);
                _recency.AddFirst(existing.Node!);
                return loaded.Rent();
            }

            _misses++;
            loader = existing is null;
            slot = existing ?? new Slot();
            if (loader)
            {
                _slots[versionId] = slot;
            }
        }

        if (loader)
        {
            _ = LoadAsync(versionId, slot);
        }

        var entry = await slot.Loaded.Task.WaitAsync(ct);
        return entry.Rent();
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

    /// <summary>Drops a version now (it was deleted, or a test wants a cold start); leases already out finish on it.</summary>
    public void Evict(Guid versionId)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(versionId, out var slot) && slot.Entry is not null)
            {
                Remove(versionId, slot);
            }
        }
    }

    private async Task LoadAsync(Guid versionId, Slot slot)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var (model, artifactBytes) = await _source.LoadAsync(versionId, CancellationToken.None);
            var entry = new Entry(versionId, model, _fixedBytes + (long)(artifactBytes * _bytesPerArtifactByte), _idleScorers);
            _loadSeconds.Record(watch.Elapsed.TotalSeconds);
            lock (_gate)
            {
                _loads++;
                slot.Entry = entry;
                slot.Node = _recency.AddFirst(versionId);
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
                _slots.Remove(versionId); // not cached: the next request tries again
            }

            slot.Loaded.SetException(ex is ModelUnavailableException ? ex : new ModelUnavailableException($"Model version {versionId} could not be loaded: {ex.Message}"));
        }
    }

    private void Remove(Guid versionId, Slot slot)
    {
        _slots.Remove(versionId);
        _recency.Remove(slot.Node!);
        _bytes -= slot.Entry!.Bytes;
    }

    private sealed class Slot
    {
        public TaskCompletionSource<Entry> Loaded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Entry? Entry { get; set; }
        public LinkedListNode<Guid>? Node { get; set; }
    }

    internal sealed class Entry(Guid versionId, TrainedModel model, long bytes, int idleScorers)
    {
        // Idle scorers in slots taken and filled with interlocked exchanges: no lock on the predict path (profiled under
        // load in decision 0020, the lock around a stack here was the largest single cost).
        private readonly ModelRowScorer?[] _idle = new ModelRowScorer?[idleScorers];

        public Guid VersionId { get; } = versionId;
        public TrainedModel Model { get; } = model;
        public long Bytes { get; } = bytes;

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
}

/// <summary>One model version's scorer, rented for one request; dispose to give the scorer back.</summary>
public sealed class ModelLease : IDisposable
{
    private readonly ModelCache.Entry _entry;
    private bool _returned;

    internal ModelLease(ModelCache.Entry entry, ModelRowScorer scorer)
    {
        _entry = entry;
        Scorer = scorer;
    }

    public Guid VersionId => _entry.VersionId;
    public TrainedModel Model => _entry.Model;
    public ModelRowScorer Scorer { get; }

    public void Dispose()
    {
        if (!_returned)
        {
            _returned = true;
            _entry.Return(Scorer);
        }
    }
}

/// <param name="Bytes">Estimated memory of the loaded models now; <paramref name="PeakBytes"/> the most it has been.</param>
public sealed record ModelCacheStats(long Hits, long Misses, long Evictions, long Loads, int Models, long Bytes, long PeakBytes, long BudgetBytes);
