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
    /// <param name="slug">A fixed slug makes the generated data the same at every run (the generator's styles follow the slug).</param>
    /// <param name="withholdLabel">Rows uploaded without their label (e.g. the newest, which no model may learn from).</param>
    public static async Task<string> CreateAsync(ControlPlaneApp app, HttpClient admin, string useCase, string region, int rows, int seed = 1, string? slug = null,
        Func<DemoDataset, int, bool>? withholdLabel = null)
    {
        slug ??= TestSlugs.New("rt");
        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Retrain {slug}", slug, region, useCases = new[] { useCase } });
        response.EnsureSuccessStatusCode();
        var dataset = Demo(slug, useCase, rows, seed);
        await AddUploadAsync(app, slug, useCase, "data.csv", withholdLabel is null ? DatasetUploads.Csv(dataset) : WithoutLabels(dataset, withholdLabel));
        var rules = await DemoRuleSet.ForAsync(dataset);
        await app.WithDbAsync(db => DemoRules.SaveAsync(db, slug, useCase, rules));
        return slug;
    }

    /// <summary>The dataset as CSV with the label cell empty in the rows <paramref name="withhold"/> picks.</summary>
    private static byte[] WithoutLabels(DemoDataset dataset, Func<DemoDataset, int, bool> withhold)
    {
        var label = dataset.IndexOf(dataset.Label.CanonicalName);
        static string Field(string? value) => value is null ? "" :
            value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
        var csv = new System.Text.StringBuilder(string.Join(",", dataset.Header.Select(Field))).Append('\n');
        for (var r = 0; r < dataset.RowCount; r++)
        {
            csv.Append(string.Join(",", dataset.Rows[r].Select((v, c) => c == label && withhold(dataset, r) ? "" : Field(v)))).Append('\n');
        }

        return System.Text.Encoding.UTF8.GetBytes(csv.ToString());
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

    /// <summary>
    /// A tenant with a small hand-made file (no missing values, so validation passes): account, daily "As Of" dates,
    /// "Churned" yes/no as <paramref name="churned"/> says for each row, and one feature, seats.
    /// </summary>
    public static async Task<string> CreateHandMadeAsync(ControlPlaneApp app, HttpClient admin, int rows, Func<int, bool> churned)
    {
        var slug = TestSlugs.New("rt");
        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Retrain {slug}", slug, region = "us", useCases = new[] { DemoUseCaseKeys.ChurnRisk } });
        response.EnsureSuccessStatusCode();
        var csv = new System.Text.StringBuilder("Account,As Of,Churned,Seats\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(System.FormattableString.Invariant($"a{i},{new DateTime(2026, 1, 1).AddDays(i):yyyy-MM-dd},{(churned(i) ? "yes" : "no")},{i % 40 + 1}\n"));
        }

        await AddUploadAsync(app, slug, DemoUseCaseKeys.ChurnRisk, "accounts.csv", System.Text.Encoding.UTF8.GetBytes(csv.ToString()));
        var churn = Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == DemoUseCaseKeys.ChurnRisk);
        await SaveRulesAsync(app, slug, DemoUseCaseKeys.ChurnRisk, new RuleSet
        {
            EntityKey = "Account", EventTime = "As Of", Label = new LabelRule { Source = "Churned" },
            Features = [new FeatureRule { Name = "seats", Source = "Seats" }],
            Drop = churn.DefaultFeatures.Select(f => f.Name).Where(n => n != "seats").ToArray(),
        });
        return slug;
    }
}
