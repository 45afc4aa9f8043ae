using ControlPlane.Core.Common;
using ControlPlane.Core.Registry;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML;
using ControlPlane.ML.Training;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Registry;

/// <summary>
/// Enrollments with a real dataset version, hand-built model reports and small artifact streams: the registry stores bytes
/// and a report, so no model needs training here.
/// </summary>
internal static class ModelVersions
{
    public const string UseCase = Datasets.DatasetUploads.UseCase;

    /// <summary>A tenant enrolled in the binary use case, in <paramref name="region"/>, with dataset version 1 uploaded.</summary>
    public static async Task<string> EnrollmentWithDatasetAsync(ControlPlaneApp app, string region)
    {
        using var admin = app.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, region);
        (await UploadAsync(admin, slug, Csv(DemoFile(slug, rows: 300)), "accounts.csv")).EnsureSuccessStatusCode();
        return slug;
    }

    public static ModelReport Report(double auc, string trainer = "FastTree", int seed = 42, double logLoss = 0.5) => new()
    {
        Task = TaskType.Binary, Trainer = trainer, Seed = seed,
        Hyperparameters = new Dictionary<string, string> { ["numberOfTrees"] = "100", ["learningRate"] = "0.2" },
        Split = new SplitSummary(true, 240, 60, new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc)),
        Test = new ModelMetrics
        {
            Headline = "auc", HeadlineValue = auc, HigherIsBetter = true, Auc = auc, LogLoss = logLoss, Accuracy = 0.7,
            Roc = [new CurvePoint(0, 0), new CurvePoint(0.2, 0.7), new CurvePoint(1, 1)],
        },
        TrainingDuration = TimeSpan.FromSeconds(3.5),
        PredictionFingerprint = new string('a', 64),
    };

    /// <summary>Artifact bytes that name the model, so a test can tell which file is which.</summary>
    public static byte[] Artifact(string tag) => System.Text.Encoding.UTF8.GetBytes($"model artifact {tag} {Guid.NewGuid()}");

    public static Task<Result<ModelVersionSummary>> RegisterAsync(
        ControlPlaneApp app, string slug, double auc, byte[]? artifact = null, int datasetVersion = 1, int rulesVersion = 0,
        ServingDecision? serving = null, string useCase = UseCase, ModelReport? report = null) =>
        WithRegistryAsync(app, registry => registry.RegisterAsync(
            new ModelRegistration(slug, useCase, datasetVersion, rulesVersion, report ?? Report(auc), "test:retrain", Guid.NewGuid(), serving),
            new MemoryStream(artifact ?? Artifact($"{slug} {auc}"))));

    /// <summary>
    /// Registers a version that must succeed and returns its number. <paramref name="versus"/>: the earlier versions its
    /// training compared it with on its validation rows (what the promotion gate reads), and how it came out.
    /// </summary>
    public static async Task<int> RegisteredAsync(ControlPlaneApp app, string slug, double auc, params (int Version, ComparisonVerdict Verdict, string Kind)[] versus)
    {
        var comparisons = new List<ModelComparison>();
        foreach (var (number, verdict, kind) in versus)
        {
            var id = (await WithRegistryAsync(app, r => r.GetAsync(slug, UseCase, number))).Value!.Summary.Id;
            comparisons.Add(Compared(id, $"v{number}", kind, verdict, auc));
        }

        var result = await RegisterAsync(app, slug, auc, report: Report(auc) with { Comparisons = comparisons });
        Assert.True(result.IsOk, result.Message);
        return result.Value!.Number;
    }

    /// <summary>The new version against version <paramref name="id"/> on 60 validation rows, with a paired interval that fits the verdict.</summary>
    public static ModelComparison Compared(Guid id, string label, string kind, ComparisonVerdict verdict, double auc)
    {
        var (difference, interval) = verdict switch
        {
            ComparisonVerdict.Better => (0.03, new MetricInterval(0.01, 0.05)),
            ComparisonVerdict.Worse => (-0.03, new MetricInterval(-0.05, -0.01)),
            _ => (-0.005, new MetricInterval(-0.02, 0.01)),
        };
        return new ModelComparison(ModelComparison.Own, "this version", id.ToString(), label, kind,
            new PairedDifference("auc", auc, auc - difference, difference, interval, verdict, 60), null,
            new MetricInterval(auc - 0.05, auc + 0.05), new MetricInterval(auc - difference - 0.05, auc - difference + 0.05));
    }

    /// <summary>Each call gets its own scope, as concurrent requests would.</summary>
    public static Task<T> WithRegistryAsync<T>(ControlPlaneApp app, Func<ModelRegistry, Task<T>> work) =>
        app.WithScopeAsync(sp => work(sp.GetRequiredService<ModelRegistry>()));

    /// <summary>Asserts the history of each alias is one chain: sequences 1, 2, … and every "from" is the previous "to".</summary>
    public static void AssertChain(IEnumerable<AliasChangeView> history)
    {
        foreach (var alias in history.GroupBy(c => c.Alias))
        {
            var chain = alias.OrderBy(c => c.Sequence).ToArray();
            Assert.Equal(Enumerable.Range(1, chain.Length), chain.Select(c => c.Sequence));
            Assert.Null(chain[0].From);
            for (var i = 1; i < chain.Length; i++)
            {
                Assert.Equal(chain[i - 1].To.Id, chain[i].From?.Id);
            }
        }
    }
}
