using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ControlPlane.Core.DemoData;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.FeatureRules;

/// <summary>Tenants enrolled in churn risk, their demo data, and the rules routes, for the feature-rules tests.</summary>
internal static class RulesClient
{
    public const string UseCase = "churn-risk";

    public static async Task<string> CreateTenantAsync(HttpClient admin)
    {
        var slug = TestSlugs.New("fr");
        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Rules {slug}", slug, region = "us", useCases = new[] { UseCase } });
        response.EnsureSuccessStatusCode();
        return slug;
    }

    public static DemoDataset DemoFile(string slug, int rows = 600) =>
        DemoDataGenerator.Generate(UseCase, new DemoGenerationOptions { TenantSlug = slug, Rows = rows, Seed = 3 });

    public static async Task UploadAsync(HttpClient client, string slug, string csv)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "data.csv");
        var response = await client.PostAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/datasets", form);
        response.EnsureSuccessStatusCode();
    }

    public static string Url(string slug, string? rest = null) => $"/api/v1/tenants/{slug}/use-cases/{UseCase}/rules{rest}";

    public static Task<HttpResponseMessage> PutRulesAsync(HttpClient client, string slug, string json, string? comment = null) =>
        client.PutAsync(Url(slug, comment is null ? null : $"?comment={Uri.EscapeDataString(comment)}"), Body(json));

    public static Task<HttpResponseMessage> PreviewAsync(HttpClient client, string slug, string json) =>
        client.PostAsync(Url(slug, "/preview?rows=5"), Body(json));

    public static async Task<int[]> VersionNumbersAsync(HttpClient client, string slug)
    {
        var response = await client.GetAsync(Url(slug, "/versions"));
        response.EnsureSuccessStatusCode();
        return (await response.ReadNodeAsync()).AsArray().Select(v => v!["number"]!.GetValue<int>()).ToArray();
    }

    /// <summary>The rules with these inherited features dropped.</summary>
    public static string WithDrop(string rules, IEnumerable<string> features)
    {
        var node = JsonNode.Parse(rules)!.AsObject();
        node["drop"] = new JsonArray(features.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
        return node.ToJsonString();
    }

    public static JsonObject ErrorsOf(JsonNode problem) => problem["errors"]!.AsObject();

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
