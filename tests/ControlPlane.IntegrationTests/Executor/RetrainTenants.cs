using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.IntegrationTests.Datasets;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>Tenants ready to retrain: enrolled in one use case, with demo rules saved and raw uploads waiting for ingest.</summary>
internal static class RetrainTenants
{
    public static async Task<string> CreateAsync(ControlPlaneApp app, HttpClient admin, string useCase, string region, int rows, int seed = 1)
    {
        var slug = TestSlugs.New("rt");
        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Retrain {slug}", slug, region, useCases = new[] { useCase } });
        response.EnsureSuccessStatusCode();
        var dataset = Demo(slug, useCase, rows, seed);
        await AddUploadAsync(app, slug, useCase, "data.csv", DatasetUploads.Csv(dataset));
        var rules = await DemoRuleSet.ForAsync(dataset);
        await app.WithDbAsync(db => DemoRules.SaveAsync(db, slug, useCase, rules));
        return slug;
    }

    public static DemoDataset Demo(string slug, string useCase, int rows, int seed) =>
        DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = slug, Rows = rows, Seed = seed });

    public static Task AddUploadAsync(ControlPlaneApp app, string slug, string useCase, string fileName, byte[] bytes) =>
        app.WithScopeAsync(async services =>
        {
            var stored = await services.GetRequiredService<UploadService>().AddAsync(slug, useCase, fileName, new MemoryStream(bytes), "test");
            Assert.True(stored.IsOk, stored.Message);
            return stored.Value!;
        });

    public static Task<int> SaveRulesAsync(ControlPlaneApp app, string slug, string useCase, RuleSet rules) =>
        app.WithDbAsync(db => DemoRules.SaveAsync(db, slug, useCase, rules));
}
