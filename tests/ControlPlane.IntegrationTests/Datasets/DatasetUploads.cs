using System.Net.Http.Headers;
using System.Text;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.DemoData;
using ControlPlane.IntegrationTests.Infrastructure;

namespace ControlPlane.IntegrationTests.Datasets;

/// <summary>Tenants, demo files and multipart uploads for the dataset tests.</summary>
internal static class DatasetUploads
{
    public const string UseCase = "churn-risk";

    public static async Task<string> CreateTenantAsync(HttpClient admin, string region)
    {
        var slug = TestSlugs.New("ds");
        var response = await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Data {slug}", slug, region, useCases = new[] { UseCase } });
        response.EnsureSuccessStatusCode();
        return slug;
    }

    public static DemoDataset DemoFile(string slug, int rows = 2000, int seed = 1) =>
        DemoDataGenerator.Generate(UseCase, new DemoGenerationOptions { TenantSlug = slug, Rows = rows, Seed = seed });

    public static byte[] Csv(DemoDataset dataset)
    {
        using var stream = new MemoryStream();
        dataset.WriteCsv(stream);
        return stream.ToArray();
    }

    public static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string slug, byte[] bytes, string fileName)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync(Url(slug), form);
    }

    public static string Url(string slug) => $"/api/v1/tenants/{slug}/use-cases/{UseCase}/datasets";

    public static string Prefix(string slug) => DatasetService.DatasetPrefix(slug, UseCase);
}
