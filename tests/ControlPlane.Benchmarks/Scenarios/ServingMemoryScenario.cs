using System.Diagnostics;
using System.Globalization;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Options;
using ControlPlane.Core.Serving;
using ControlPlane.Core.UseCases;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.ML;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// What a cached model costs: memory per loaded model (and the cache's total at 1,000 and 10,000 models), a cold load,
/// and one row scored — for a logistic regression and a FastTree churn model trained on 5,000 generated rows with the
/// demo rules. The memory figures calibrate <see cref="ServingOptions.RetainedBytesPerArtifactByte"/>.
/// </summary>
public sealed class ServingMemoryScenario : IScenario
{
    private const int DefaultLarge = 10_000;

    public string Name => "serving-memory";
    public string Title => "Serving: memory per cached model, cold load, one row scored";

    public string Description =>
        "Two churn-risk models trained on the same 5,000 generated rows with the demo rules — logistic regression and FastTree (ML.NET defaults) — saved " +
        "as artifacts. Memory: `ModelCache` (the real-time cache) loads 1,000 versions of each (distinct ids, the same artifact bytes, each a real " +
        $"`TrainedModel.Load` with one row scorer rented and returned), and {DefaultLarge:N0} of the logistic regression; the managed heap after a full " +
        "collection, less the heap before, divided by the models held, is the memory per model; its ratio to the artifact's size is the floor-relative " +
        "figure (the cache's budget counts a model as artifact size × `RetainedBytesPerArtifactByte`). Times: a cold load (`TrainedModel.Load` from the " +
        "artifact's bytes, as the cache does after the store read) against ML.NET's own `Model.Load` of the same chain, and one row scored by a rented " +
        "scorer against one row's share of scoring a batch of 1,000 (`TrainedModel.Score`).";

    public async Task<ScenarioReport> RunAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var large = int.Parse(settings.Option("--models") ?? DefaultLarge.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var floors = new List<Measurement>();
        var results = new List<Measurement>();
        var notes = new List<string>();
        var sizes = new List<(string Trainer, long Artifact, double PerModel)>();
        var dataset = new DemoTenant
        {
            Slug = "bench-serving", DisplayName = "bench-serving", Region = "us", UseCaseKeys = [DemoUseCaseKeys.ChurnRisk], Seed = 301, Rows = 5000,
        }.Generate(DemoUseCaseKeys.ChurnRisk);
        var table = await DemoRawTable.ReadAsync(dataset, ct: ct);
        var useCase = BuiltInUseCases.All().Single(u => u.Key == DemoUseCaseKeys.ChurnRisk);
        var effective = RuleInheritance.Effective(FeatureRuleService.Defaults(useCase), DemoRuleSet.For(dataset, table.Schema));

        foreach (var trainer in new[] { TrainerNames.LogisticRegression, TrainerNames.FastTree })
        {
            var model = ModelTrainer.Train(table, effective, useCase.TaskType, new TrainingSettings
            {
                Trainers = [trainer], DefaultHyperparametersOnly = true, Folds = 2, ExplainedRows = 5,
            }, ct: ct);
            using var saved = new MemoryStream();
            model.Save(saved);
            var bytes = saved.ToArray();
            var inner = InnerModel(bytes);
            Console.WriteLine($"  {trainer}: artifact {bytes.Length / 1024.0:0} KiB");

            var mlLoad = await Timing.MeasureAsync(() =>
            {
                new MLContext(1).Model.Load(new MemoryStream(inner), out _);
                return Task.CompletedTask;
            }, runs: 40, warmup: 5);
            var ourLoad = await Timing.MeasureAsync(() =>
            {
                TrainedModel.Load(new MemoryStream(bytes)).CreateRowScorer();
                return Task.CompletedTask;
            }, runs: 40, warmup: 5);
            floors.Add(new Measurement($"{trainer}: ML.NET Model.Load of the chain ({inner.Length / 1024.0:0} KiB)", "ML.NET", mlLoad, 1.0));
            results.Add(new Measurement($"{trainer}: cold load, TrainedModel.Load + a row scorer", "ML.NET", ourLoad, ourLoad.MedianMs / mlLoad.MedianMs));

            var loaded = TrainedModel.Load(new MemoryStream(bytes));
            var scorer = loaded.CreateRowScorer();
            var thousand = RawTableRows.Select(table, Enumerable.Range(0, 1000).ToArray());
            var oneAtATime = await Timing.MeasureAsync(() =>
            {
                for (var r = 0; r < thousand.RowCount; r++) scorer.Score(thousand, r);
                return Task.CompletedTask;
            }, runs: 20, warmup: 3);
            var batch = await Timing.MeasureAsync(() =>
            {
                loaded.Score(thousand);
                return Task.CompletedTask;
            }, runs: 20, warmup: 3);
            floors.Add(new Measurement($"{trainer}: 1,000 rows scored as one batch (TrainedModel.Score)", "ML.NET", batch, 1.0));
            results.Add(new Measurement($"{trainer}: 1,000 rows scored one at a time by a rented row scorer (the real-time path)", "ML.NET", oneAtATime,
                oneAtATime.MedianMs / batch.MedianMs));

            foreach (var count in trainer == TrainerNames.LogisticRegression ? new[] { 1000, large } : [1000])
            {
                var (perModel, seconds) = await MemoryAsync(bytes, count, ct);
                sizes.Add((trainer, bytes.Length, perModel));
                var ratio = perModel / bytes.Length;
                var timing = new Timing(perModel / 1024.0, perModel / 1024.0, count);
                results.Add(new Measurement(string.Create(CultureInfo.InvariantCulture,
                        $"{trainer}: KiB per model with {count:N0} models cached ({perModel * count / 1048576.0:N0} MiB in all; loaded in {seconds:0} s) — × floor = bytes per artifact byte"),
                    "ML.NET", timing, ratio));
                Console.WriteLine($"  {trainer}: {count} models, {perModel / 1024.0:0} KiB each, {ratio:0.0}x the artifact, {perModel * count / 1048576.0:0} MiB in all");
            }
        }

        notes.Add("Memory rows: the \"median ms\" and \"p95 ms\" columns hold KiB per model, and × floor is the memory per model over the artifact's size. " +
                  "Cold-load and scoring rows are milliseconds.");
        var lr = sizes.First(s => s.Trainer == TrainerNames.LogisticRegression);
        var ft = sizes.First(s => s.Trainer == TrainerNames.FastTree);
        var perArtifactByte = (ft.PerModel - lr.PerModel) / (ft.Artifact - lr.Artifact);
        var fixedBytes = lr.PerModel - perArtifactByte * lr.Artifact;
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"A loaded model's memory, from the two models: about {fixedBytes / 1024:0} KiB whatever its size (its ML.NET context, schema and transformers) plus " +
            $"{perArtifactByte:0.0} bytes per artifact byte — the cache's estimate (`ControlPlane:Serving:FixedKilobytesPerModel`, `RetainedBytesPerArtifactByte`)."));
        notes.Add("Target (issue 6): memory per cached model, and the cache's peak at 1,000 and 10,000 models; cold load of an evicted model, p95. " +
                  "The HTTP figures (throughput against a trivial endpoint, p99 at half load) come from the serving load benchmark.");
        return new ScenarioReport(Name, Title, Description, floors, results, notes);
    }

    /// <summary>Loads <paramref name="count"/> versions into a cache with room for all, and measures the heap they hold.</summary>
    private static async Task<(double PerModel, double Seconds)> MemoryAsync(byte[] artifact, int count, CancellationToken ct)
    {
        var options = new ControlPlaneOptions();
        options.Serving.CacheMemoryMegabytes = 1_000_000;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var cache = new ModelCache(new BytesSource(artifact), Microsoft.Extensions.Options.Options.Create(options));
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            (await cache.RentAsync(Guid.NewGuid(), ct)).Dispose();
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        if (cache.Count != count) throw new InvalidOperationException($"The cache holds {cache.Count} models, not {count}.");
        GC.KeepAlive(cache);
        return ((double)(after - before) / count, seconds);
    }

    /// <summary>The ML.NET model inside an artifact (its <c>model.zip</c> entry).</summary>
    private static byte[] InnerModel(byte[] artifact)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(artifact));
        using var entry = zip.GetEntry("model.zip")!.Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed class BytesSource(byte[] artifact) : IModelSource
    {
        public Task<(TrainedModel Model, long ArtifactBytes)> LoadAsync(Guid versionId, CancellationToken ct) =>
            Task.FromResult((TrainedModel.Load(new MemoryStream(artifact)), (long)artifact.Length));
    }
}
