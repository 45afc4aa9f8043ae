using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json.Nodes;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.Serving;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using ControlPlane.UnitTests.Training;

namespace ControlPlane.UnitTests.Serving;

/// <summary>
/// Real-time scoring by a pooled model over real models: a pooled churn model trained on two demo tenants' canonical
/// tables, and one tenant's own model whose fitted rules map that tenant's rows (in its own column names) onto the
/// pooled model's columns — against what training computes offline (<see cref="CanonicalTable.From"/>) for the same rows.
/// </summary>
public sealed class PooledScoringTests(PooledScoringTests.Models models) : IClassFixture<PooledScoringTests.Models>
{
    private static readonly TrainingSettings Settings = DemoTraining.Quick with
    {
        Trainers = [TrainerNames.LogisticRegression], DefaultHyperparametersOnly = true,
    };

    private static readonly RuleDefaults Churn = FeatureRuleService.Defaults(BuiltInUseCases.All().Single(u => u.Key == DemoUseCaseKeys.ChurnRisk));

    [Fact]
    public void A_tenants_rows_mapped_by_its_own_versions_rules_score_exactly_as_the_pooled_model_scores_them_offline()
    {
        var rows = Enumerable.Range(0, 60).ToArray();
        var offlineCanonical = RawTableRows.Select(CanonicalTable.From(models.ContosoTable, models.ContosoRules, Churn, Settings, "contoso-health").Served, rows);
        var offline = models.Pooled.Score(offlineCanonical);
        var pooled = TrainedModel.Load(new MemoryStream(models.PooledBytes));
        var mapping = CanonicalMapping.From(TrainedModel.Load(new MemoryStream(models.ContosoBytes)), "contoso-health")!;

        var mapped = mapping.CreateRowMapper(pooled.InputColumns).Map(RawTableRows.Select(models.ContosoTable, rows));

        Assert.Equal(pooled.InputColumns, mapped.Table.Schema);
        Assert.NotEqual(mapping.InputColumns.Select(c => c.Name).Order(), pooled.InputColumns.Select(c => c.Name).Order());
        foreach (var feature in Churn.Features)
        {
            Assert.Equal(Values(offlineCanonical, feature.Name), Values(mapped.Table, feature.Name));
        }

        var scorer = pooled.CreateRowScorer();
        for (var r = 0; r < rows.Length; r++)
        {
            Assert.Equal(offline[r].Score, scorer.Score(mapped.Table, r).Score);
            Assert.Equal(offline[r].EntityKey, mapped.EntityKeys![r]);
        }

        // Explanations are the pooled model's, in the use case's feature names.
        var why = pooled.Explain(mapped.Table)!;
        var offlineWhy = models.Pooled.Explain(offlineCanonical)!;
        Assert.Equal(offlineWhy[0].Contributions, why[0].Contributions);
    }

    [Fact]
    public async Task Tenants_share_one_load_of_the_pooled_model_and_each_keeps_only_its_small_mapping()
    {
        var (pooled, contoso, northwind) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var source = new Source(new() { [pooled] = models.PooledBytes, [contoso] = models.ContosoBytes, [northwind] = models.NorthwindBytes })
        {
            Gate = new TaskCompletionSource(),
        };
        var cache = new ModelCache(source, Microsoft.Extensions.Options.Options.Create(new ControlPlaneOptions()));
        var table = RawTableRows.Select(models.ContosoTable, [0, 1, 2]);

        var requests = Enumerable.Range(0, 30).Select(i => Task.Run(() => cache.RentPooledAsync(pooled, i % 2 == 0 ? contoso : northwind))).ToArray();
        for (var i = 0; i < 500 && cache.Stats.Misses < 30; i++) await Task.Delay(10);
        source.Gate.SetResult(); // all 30 wait for the pooled model, then race for the two mappings
        var leases = await Task.WhenAll(requests);

        Assert.Equal((1, 1, 1), (source.Loads(pooled), source.Loads(contoso), source.Loads(northwind)));
        Assert.True(cache.Holds(pooled) && cache.HoldsMapping(contoso, pooled) && cache.HoldsMapping(northwind, pooled));
        Assert.False(cache.Holds(contoso)); // only the rules were kept, not the own model
        var contosoLeases = leases.Where(l => l.MappingVersionId == contoso).ToArray();
        Assert.Single(contosoLeases.Select(l => ((IServingLease)l).Score(table)[1].Score).Distinct());
        Assert.Same(contosoLeases[0].Model, leases.First(l => l.MappingVersionId == northwind).Model);
        Assert.Equal(SortedNames(models.ContosoTable), contosoLeases[0].InputColumns.Select(c => c.Name).Order());
        foreach (var lease in leases) lease.Dispose();

        // A mapping is counted by the size of its rules, far below a model's.
        var stats = cache.Stats;
        var options = new ControlPlaneOptions().Serving;
        var modelBytes = options.FixedKilobytesPerModel * 1024L + (long)(models.PooledBytes.Length * options.RetainedBytesPerArtifactByte);
        Assert.Equal(3, stats.Models);
        Assert.True(stats.Bytes < 3 * modelBytes, $"{stats.Bytes} bytes for one model and two mappings");

        cache.Evict(pooled); // its mappings go with it
        Assert.False(cache.HoldsMapping(contoso, pooled));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task An_own_version_written_before_mappings_were_recorded_cannot_map_and_says_so()
    {
        var (pooled, old) = (Guid.NewGuid(), Guid.NewGuid());
        var source = new Source(new() { [pooled] = models.PooledBytes, [old] = WithoutFeatureValues(models.ContosoBytes) });
        var cache = new ModelCache(source, Microsoft.Extensions.Options.Options.Create(new ControlPlaneOptions()));

        var failure = await Assert.ThrowsAsync<MappingUnavailableException>(() => cache.RentPooledAsync(pooled, old));

        Assert.Contains(old.ToString(), failure.Message, StringComparison.Ordinal);
        Assert.True(cache.Holds(pooled));
        Assert.False(cache.HoldsMapping(old, pooled));
    }

    private static IEnumerable<string> SortedNames(RawTable table) => table.Schema.Select(c => c.Name).Order();

    private static object?[] Values(RawTable table, string column) => table.Columns.Single(c => c.Name == column).Values.Cast<object?>().ToArray();

    /// <summary>The artifact as versions trained before <see cref="ModelInput.FeatureValues"/> wrote it.</summary>
    private static byte[] WithoutFeatureValues(byte[] artifact)
    {
        using var buffer = new MemoryStream();
        buffer.Write(artifact);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("input.json")!;
            JsonObject input;
            using (var reader = new StreamReader(entry.Open()))
            {
                input = JsonNode.Parse(reader.ReadToEnd())!.AsObject();
            }

            Assert.True(input.Remove("featureValues"));
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("input.json").Open());
            writer.Write(input.ToJsonString());
        }

        return buffer.ToArray();
    }

    /// <summary>Loads artifacts by version id, counting loads; can hold loads at a gate.</summary>
    private sealed class Source(Dictionary<Guid, byte[]> artifacts) : IModelSource
    {
        private readonly ConcurrentDictionary<Guid, int> _loads = new();

        public TaskCompletionSource? Gate { get; init; }

        public int Loads(Guid version) => _loads.GetValueOrDefault(version);

        public async Task<(TrainedModel Model, long ArtifactBytes)> LoadAsync(Guid versionId, CancellationToken ct)
        {
            _loads.AddOrUpdate(versionId, 1, (_, k) => k + 1);
            if (Gate is not null) await Gate.Task;
            var bytes = artifacts[versionId];
            return (TrainedModel.Load(new MemoryStream(bytes)), bytes.Length);
        }
    }

    /// <summary>Two demo tenants with their own column names, a pooled model of both, and each one's own model, saved.</summary>
    public sealed class Models : IAsyncLifetime
    {
        public RawTable ContosoTable { get; private set; } = null!;
        public RuleSet ContosoRules { get; private set; } = null!;
        public TrainedModel Pooled { get; private set; } = null!;
        public byte[] PooledBytes { get; private set; } = [];
        public byte[] ContosoBytes { get; private set; } = [];
        public byte[] NorthwindBytes { get; private set; } = [];

        public async Task InitializeAsync()
        {
            var contoso = await DemoTraining.LoadAsync("contoso-health", DemoUseCaseKeys.ChurnRisk, maxRows: 400);
            (ContosoTable, ContosoRules) = (contoso.Table, contoso.Effective);
            var northwind = await DemoTraining.LoadAsync("northwind-traders", DemoUseCaseKeys.ChurnRisk, maxRows: 400);
            Pooled = PooledTrainer.Train(
                [CanonicalTable.From(contoso.Table, contoso.Effective, Churn, Settings, "contoso-health"), CanonicalTable.From(northwind.Table, northwind.Effective, Churn, Settings, "northwind-traders")],
                Churn, Settings);
            PooledBytes = Bytes(Pooled);
            ContosoBytes = Bytes(contoso.Train(Settings));
            NorthwindBytes = Bytes(northwind.Train(Settings));
        }

        public Task DisposeAsync() => Task.CompletedTask;

        private static byte[] Bytes(TrainedModel model)
        {
            using var stream = new MemoryStream();
            model.Save(stream);
            return stream.ToArray();
        }
    }
}
