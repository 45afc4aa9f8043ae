using ControlPlane.Core.Registry;
using ControlPlane.ML.Training;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// The few pooled models this node compares tenants with, loaded once: a retrain-all evaluates every tenant of a region
/// against the same pooled version, and loading it (an ML.NET model of the whole rule chain) costs more than the
/// evaluation. Keyed by version id (a version's artifact never changes); the oldest entry leaves when
/// <see cref="Capacity"/> is reached. <see cref="ModelEvaluator"/> goes through an ML.NET context that is not meant to
/// be shared across threads, so evaluations of one cached model take turns.
/// </summary>
public sealed class PooledModelCache
{
    public const int Capacity = 8;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Entry> _entries = [];
    private readonly Queue<Guid> _order = new();

    /// <summary>Runs <paramref name="use"/> on the loaded model of pooled version <paramref name="version"/>.</summary>
    public async Task<T> UseAsync<T>(ModelRegistry registry, ModelVersion version, Func<TrainedModel, T> use, CancellationToken ct)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(version.Id, out entry!))
            {
                entry = new Entry(new Lazy<Task<TrainedModel>>(() => LoadAsync(registry, version, ct)));
                _entries[version.Id] = entry;
                _order.Enqueue(version.Id);
                while (_order.Count > Capacity)
                {
                    _entries.Remove(_order.Dequeue());
                }
            }
        }

        TrainedModel model;
        try
        {
            model = await entry.Model.Value;
        }
        catch
        {
            lock (_gate)
            {
                _entries.Remove(version.Id); // a failed load is not cached: the next caller tries again
            }

            throw;
        }

        await entry.Turn.WaitAsync(ct);
        try
        {
            return use(model);
        }
        finally
        {
            entry.Turn.Release();
        }
    }

    private static async Task<TrainedModel> LoadAsync(ModelRegistry registry, ModelVersion version, CancellationToken ct)
    {
        await using var artifact = await registry.OpenArtifactAsync(version.Id, ct)
                                   ?? throw new InvalidOperationException($"Pooled version {version.Number}'s artifact is missing from the {version.Region} store.");
        return TrainedModel.Load(artifact);
    }

    private sealed record Entry(Lazy<Task<TrainedModel>> Model)
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);
    }
}
