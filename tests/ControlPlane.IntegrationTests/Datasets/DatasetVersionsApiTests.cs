using System.Net;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Security;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Datasets;

public abstract class DatasetVersionsApiTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task Uploading_a_csv_creates_version_1_with_its_schema_and_a_snapshot_in_the_tenant_region_only()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "eu");
        var dataset = DemoFile(slug);

        var response = await UploadAsync(admin, slug, Csv(dataset), "accounts.csv");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"{Url(slug)}/1", response.Headers.Location?.OriginalString);
        var body = await response.ReadNodeAsync();
        Assert.False(body["reused"]!.GetValue<bool>());
        var version = body["version"]!;
        Assert.Equal(1, version["number"]!.GetValue<int>());
        Assert.Equal(2000, version["rowCount"]!.GetValue<long>());
        Assert.Equal(dataset.Columns.Count, version["columnCount"]!.GetValue<int>());
        Assert.Equal("eu", version["region"]!.GetValue<string>());
        Assert.Equal(64, version["sha256"]!.GetValue<string>().Length);

        var types = body["schema"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["type"]!.GetValue<string>());
        Assert.Equal("DateTime", types[dataset.EventTime.RawName]);
        Assert.Equal("Number", types[dataset.Column("seats").RawName]);
        Assert.Equal("Category", types[dataset.Column("plan").RawName]);

        var eu = App.Regions.StoreFor("eu");
        var rawPath = version["rawPath"]!.GetValue<string>();
        var snapshotPath = version["snapshotPath"]!.GetValue<string>();
        Assert.StartsWith($"{Prefix(slug)}v1/", rawPath, StringComparison.Ordinal);
        Assert.Equal([rawPath, snapshotPath], (await eu.ListAsync(Prefix(slug))).Order(StringComparer.Ordinal));
        Assert.Empty(await App.Regions.StoreFor("us").ListAsync(Core.Storage.ArtifactPath.TenantRoot(slug)));

        await using var snapshot = (await eu.OpenReadAsync(snapshotPath))!;
        await using var reader = await ParquetTableReader.OpenAsync(snapshot);
        Assert.Equal(dataset.Header, reader.Columns);
        Assert.Equal(2000, (await ColumnProfiler.ProfileAsync(reader)).RowCount);
    }

    [Fact]
    public async Task The_same_bytes_twice_are_one_version_and_different_bytes_the_next()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var bytes = Csv(DemoFile(slug));
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(admin, slug, bytes, "a.csv")).StatusCode);
        var files = await App.Regions.StoreFor("us").ListAsync(Prefix(slug));

        var again = await UploadAsync(admin, slug, bytes, "renamed.csv");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var reused = await again.ReadNodeAsync();
        Assert.True(reused["reused"]!.GetValue<bool>());
        Assert.Equal(1, reused["version"]!["number"]!.GetValue<int>());
        Assert.Equal("a.csv", reused["version"]!["fileName"]!.GetValue<string>());
        Assert.Equal(files, await App.Regions.StoreFor("us").ListAsync(Prefix(slug)));

        var other = Text("account_id,snapshot_date,seats\nA1,2026-01-05T00:00:00Z,3\nA2,2026-02-10T12:30:00Z,4\nA3,,5\n");
        var second = await UploadAsync(admin, slug, other, "small.csv");

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var v2 = (await second.ReadNodeAsync())["version"]!;
        Assert.Equal(2, v2["number"]!.GetValue<int>());
        Assert.Equal(3, v2["rowCount"]!.GetValue<long>());
        Assert.Equal(new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), v2["timeFrom"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(new DateTime(2026, 2, 10, 12, 30, 0, DateTimeKind.Utc), v2["timeTo"]!.GetValue<DateTime>().ToUniversalTime());

        var list = (await (await admin.GetAsync(Url(slug))).ReadNodeAsync()).AsArray();
        Assert.Equal([2, 1], list.Select(v => v!["number"]!.GetValue<int>()));
        Assert.Equal(2, await App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
    }

    [Fact]
    public async Task A_version_is_read_back_with_schema_and_profile()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var dataset = DemoFile(slug, rows: 500);
        await UploadAsync(admin, slug, Csv(dataset), "accounts.csv");

        var response = await admin.GetAsync($"{Url(slug)}/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadNodeAsync();
        Assert.Equal(500, body["version"]!["rowCount"]!.GetValue<long>());
        Assert.Equal(dataset.Header, body["schema"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(500, body["profile"]!["rowCount"]!.GetValue<long>());
        var plan = body["profile"]!["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == dataset.Column("plan").RawName)!;
        Assert.NotEmpty(plan["topValues"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Url(slug)}/2")).StatusCode);
    }

    [Fact]
    public async Task A_ragged_row_is_a_problem_naming_its_line_and_stores_nothing()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "eu");
        var ragged = Text("id,amount,plan\n1,10,pro\n2,20,free\n3,30,pro\n4,40\n5,50,free\n");

        var response = await UploadAsync(admin, slug, ragged, "ragged.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadNodeAsync()).FieldErrors("File");
        Assert.Contains(errors, m => m.Contains("line 5", StringComparison.OrdinalIgnoreCase));
        await AssertNothingStoredAsync(slug, "eu");
    }

    [Theory]
    [InlineData("empty.csv", "", "empty")]
    [InlineData("header-only.csv", "id,amount\n", "no rows")]
    [InlineData("table.xlsx", "id,amount\n1,2\n", ".csv, .parquet")]
    [InlineData("broken.parquet", "id,amount\n1,2\n", "")]
    public async Task Unusable_files_are_problems_naming_the_file_and_store_nothing(string fileName, string content, string expected)
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");

        var response = await UploadAsync(admin, slug, Text(content), fileName);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadNodeAsync()).FieldErrors("File");
        Assert.Contains(errors, m => m.Contains(fileName, StringComparison.Ordinal) && m.Contains(expected, StringComparison.Ordinal));
        await AssertNothingStoredAsync(slug, "us");
    }

    [Fact]
    public async Task Unknown_tenant_or_enrollment_is_not_found_and_a_viewer_may_read_but_not_upload()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var bytes = Text("id,amount\n1,2\n");

        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(admin, "no-such-tenant", bytes, "a.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await admin.PostAsync($"/api/v1/tenants/{slug}/use-cases/lead-scoring/datasets", new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "a.csv" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/tenants/{slug}/use-cases/lead-scoring/datasets")).StatusCode);

        var issued = await (await admin.PostJsonAsync("/api/v1/tokens", new { name = "viewer", role = Roles.Viewer })).ReadNodeAsync();
        using var viewer = App.CreateTokenClient(issued["secret"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(viewer, slug, bytes, "a.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(Url(slug))).StatusCode);
        await AssertNothingStoredAsync(slug, "us");
    }

    private async Task AssertNothingStoredAsync(string slug, string region)
    {
        Assert.Equal(0, await App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
        Assert.Empty(await App.Regions.StoreFor(region).ListAsync(Prefix(slug)));
    }
}

public sealed class DatasetVersionsApiTestsOnSqlite(AppFixture<Sqlite> fixture) : DatasetVersionsApiTests<Sqlite>(fixture);

public sealed class DatasetVersionsApiTestsOnPostgres(AppFixture<Postgres> fixture) : DatasetVersionsApiTests<Postgres>(fixture);
