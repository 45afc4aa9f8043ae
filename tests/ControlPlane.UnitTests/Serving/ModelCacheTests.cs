using System.Collections.Concurrent;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.Options;
using ControlPlane.Core.Serving;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using ControlPlane.UnitTests.Training;

namespace ControlPlane.UnitTests.Serving;

/// <summary>
/// The serving cache over real models: one small logistic regression trained on demo data, saved once, and loaded from
/// those artifact bytes under several version ids (each load a real <see cref="TrainedModel.Load"/>).
/// </summary>
public sealed class ModelCacheTests : IClassFixture<ModelCacheTests.Artifact>
{
    private readonly Artifact _artifact;

    public ModelCacheTests(Artifact artifact) => _artifact = artifact;

    [Fact]
    public async Task Many_requests_missing_at_once_share_one_load_and_score_alike()
    {
        var source = new ArtifactSource(_artifact.Bytes) { Gate = new TaskCompletionSource() };
        var cache = Cache(source, megabytes: 64);
        var version = Guid.NewGuid();

        var requests = Enumerable.Range(0, 40).Select(_ => Task.Run(() => cache.RentAsync(version))).ToArray();
        await Eventually(() => cache.Stats.Misses == 40);
        source.Gate.SetResult();
        var leases = await Task.WhenAll(requests);

        Assert.Equal(1, source.Loads(version));
        Assert.Equal((40L, 0L, 1L), (cache.Stats.Misses, cache.Stats.Hits, cache.Stats.Loads));
        var scores = leases.Select(l => l.Scorer.Score(_artifact.Rows, 0).Score).Distinct().ToList();
        Assert.Single(scores);
        Assert.Equal(40, leases.Select(l => l.Scorer).Distinct().Count()); // no scorer is shared by two requests
        foreach (var lease in leases) lease.Dispose();
        using var again = await cache.RentAsync(version);
        Assert.Equal(1, cache.Stats.Hits);
    }

    [Fact]
    public async Task Over_its_memory_budget_the_cache_drops_the_least_recently_used_model()
    {
        var source = new ArtifactSource(_artifact.Bytes);
        // Each model counts as 6 MB against a 16 MB budget: two fit, a third pushes one out.
        var cache = Cache(source, megabytes: 16, perModelBytes: 6 * 1024 * 1024);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        (await cache.RentAsync(a)).Dispose();
        (await cache.RentAsync(b)).Dispose();
        (await cache.RentAsync(a)).Dispose(); // a is now more recent than b
        (await cache.RentAsync(c)).Dispose();

        Assert.True(cache.Holds(a));
        Assert.False(cache.Holds(b));
        Assert.True(cache.Holds(c));
        var stats = cache.Stats;
        Assert.Equal((1L, 2, 12L * 1024 * 1024), (stats.Evictions, stats.Models, stats.Bytes));
        Assert.Equal(18L * 1024 * 1024, stats.PeakBytes);

        (await cache.RentAsync(b)).Dispose(); // loaded again on its next request; now a is the least recently used
        Assert.Equal(2, source.Loads(b));
        Assert.Equal((false, true, true), (cache.Holds(a), cache.Holds(b), cache.Holds(c)));
    }

    [Fact]
    public async Task A_returned_scorer_serves_the_next_request_and_a_failed_load_is_tried_again()
    {
        var source = new ArtifactSource(_artifact.Bytes) { FailFirst = true };
        var cache = Cache(source, megabytes: 64);
        var version = Guid.NewGuid();

        var failure = await Assert.ThrowsAsync<ModelUnavailableException>(() => cache.RentAsync(version));
        Assert.Contains(version.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.False(cache.Holds(version));

        ModelRowScorer first;
        using (var lease = await cache.RentAsync(version))
        {
            first = lease.Scorer;
        }

        using var next = await cache.RentAsync(version);
        Assert.Same(first, next.Scorer);
        Assert.Equal(2, source.Loads(version));
    }

    private static ModelCache Cache(ArtifactSource source, int megabytes, long? perModelBytes = null)
    {
        var options = new ControlPlaneOptions();
        options.Serving.CacheMemoryMegabytes = megabytes;
        if (perModelBytes is { } bytes)
        {
            // All of it as the fixed part: a share per artifact byte would round (6 MB / length × length ≠ 6 MB for some lengths).
            options.Serving.FixedKilobytesPerModel = (int)(bytes / 1024);
            options.Serving.RetainedBytesPerArtifactByte = 0;
        }

        return new ModelCache(source, Microsoft.Extensions.Options.Options.Create(options));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }

    /// <summary>Loads the one artifact for any version id, counting loads; can hold loads at a gate or fail the first.</summary>
    private sealed class ArtifactSource(byte[] bytes) : IModelSource
    {
        private readonly ConcurrentDictionary<Guid, int> _loads = new();

        public byte[] Bytes { get; } = bytes;
        public TaskCompletionSource? Gate { get; init; }
        public bool FailFirst { get; init; }

        public int Loads(Guid version) => _loads.GetValueOrDefault(version);

        public async Task<(TrainedModel Model, long ArtifactBytes)> LoadAsync(Guid versionId, CancellationToken ct)
        {
            var n = _loads.AddOrUpdate(versionId, 1, (_, k) => k + 1);
            if (Gate is not null) await Gate.Task;
            if (FailFirst && n == 1) throw new IOException("the store did not answer");
            return (TrainedModel.Load(new MemoryStream(Bytes)), Bytes.Length);
        }
    }

    public sealed class Artifact : IAsyncLifetime
    {
        public byte[] Bytes { get; private set; } = [];
        public RawTable Rows { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var demo = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 1500);
            var model = demo.Train(DemoTraining.Quick with { Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true });
            using var stream = new MemoryStream();
            model.Save(stream);
            Bytes = stream.ToArray();
            Rows = demo.Table;
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
