using System.Net;
using System.Text;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>
/// Issue 16, point 1: inputs whose shape could exhaust a node are refused before the work starts, as a problem naming
/// the limit and the field, and nothing of them is stored. (Expressions: <c>RulesApiTests</c>; body sizes:
/// <c>DatasetUploadLimitTests</c>, <c>PredictApiTests</c>.)
/// </summary>
public abstract class InputLimitsTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_csv_of_one_row_and_100000_columns_is_a_400_naming_the_column_limit_and_stores_nothing()
    {
        // It used to take 217 s and 13.8 GB and to store a blocked version with 38.7 MB of metadata in one row.
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var csv = string.Join(',', Enumerable.Range(1, 100_000).Select(i => $"c{i}")) + "\n" + string.Join(',', Enumerable.Repeat("1", 100_000)) + "\n";

        var response = await UploadAsync(admin, slug, Text(csv), "wide.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains((await response.ReadNodeAsync()).FieldErrors("File"), m => m.Contains("at most 1,000 are accepted", StringComparison.Ordinal));
        Assert.Equal(0, await App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
        Assert.Empty(await App.Regions.StoreFor("us").ListAsync(Prefix(slug)));
    }

    [Fact]
    public async Task A_cell_of_two_million_characters_is_a_400_naming_its_line_and_column()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var csv = "id,notes\n1,short\n2," + new string('x', 2_000_000) + "\n";

        var response = await UploadAsync(admin, slug, Text(csv), "notes.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.ReadNodeAsync()).FieldErrors("File"),
            m => m.Contains("Line 3: the value of column 'notes' has 2,000,000 characters; at most 1,048,576", StringComparison.Ordinal));
        Assert.Equal(0, await App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
    }

    [Fact]
    public async Task A_bad_parquet_upload_is_a_400_that_shows_no_server_path()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var garbage = "PAR1"u8.ToArray().Concat(Enumerable.Repeat((byte)0xAB, 200)).Concat(BitConverter.GetBytes(100)).Concat("PAR1"u8.ToArray()).ToArray();

        var response = await UploadAsync(admin, slug, garbage, "bad.parquet");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("not a valid Parquet file", text, StringComparison.Ordinal);
        Assert.DoesNotContain(App.DataDirectory, text, StringComparison.Ordinal);
        Assert.DoesNotContain("incoming", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_of_more_than_1000_features_or_nested_past_the_depth_limit_are_400s_at_their_field()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var many = "{\"features\":[" + string.Join(',', Enumerable.Range(1, 1001).Select(i => $"{{\"name\":\"f{i}\",\"source\":\"seats\"}}")) + "]}";
        var deep = new string('[', 100_000) + new string(']', 100_000);

        var tooMany = await PutRulesAsync(admin, slug, many);
        var tooDeep = await PutRulesAsync(admin, slug, "{\"features\":" + deep + "}");

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains((await tooMany.ReadNodeAsync()).FieldErrors("features"), m => m.Contains("at most 1,000 features; this one has 1,001", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
        // The typed reader stops at the first level that is not a feature, long before any depth limit.
        Assert.Contains((await tooDeep.ReadNodeAsync()).FieldErrors("features[0]"), m => m.Contains("expected an object", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/rules/versions/1")).StatusCode);
    }

    [Fact]
    public async Task A_prediction_body_nested_100000_deep_is_a_400_naming_the_depth_limit()
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("lim");
        var created = await (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Limits {slug}", slug, region = "us", useCases = new[] { UseCase } })).ReadNodeAsync();
        using var client = App.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", created["apiKey"]!.GetValue<string>());
        var deep = "{\"rows\":" + new string('[', 100_000) + new string(']', 100_000) + "}";

        var response = await client.PostAsync($"/api/v1/predict/{slug}/{UseCase}", new StringContent(deep, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.ReadNodeAsync()).FieldErrors("body"), m => m.Contains("depth of 64", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/tenants/{slug}")).StatusCode);
    }

    private static Task<HttpResponseMessage> PutRulesAsync(HttpClient client, string slug, string json) =>
        client.PutAsync($"/api/v1/tenants/{slug}/use-cases/{UseCase}/rules", new StringContent(json, Encoding.UTF8, "application/json"));
}

public sealed class InputLimitsTestsOnSqlite(AppFixture<Sqlite> fixture) : InputLimitsTests<Sqlite>(fixture);

public sealed class InputLimitsTestsOnPostgres(AppFixture<Postgres> fixture) : InputLimitsTests<Postgres>(fixture);
