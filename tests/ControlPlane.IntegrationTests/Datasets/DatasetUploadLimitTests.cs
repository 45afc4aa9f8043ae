using System.Net;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Datasets;

public sealed class SmallUploadsFixture<TProvider> : AppFixture<TProvider> where TProvider : IProviderKind
{
    public const long MaxBytes = 4096;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["ControlPlane:Uploads:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public abstract class DatasetUploadLimitTests<TProvider>(SmallUploadsFixture<TProvider> fixture) : IClassFixture<SmallUploadsFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task An_upload_over_the_limit_is_413_and_stores_nothing_while_one_under_it_is_accepted()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "eu");
        var big = Csv(DemoFile(slug, rows: 500));
        Assert.True(big.Length > SmallUploadsFixture<TProvider>.MaxBytes);

        var response = await UploadAsync(admin, slug, big, "big.csv");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains((await response.ReadNodeAsync()).FieldErrors("File"), m => m.Contains("4,096", StringComparison.Ordinal));
        Assert.Equal(0, await App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
        Assert.Empty(await App.Regions.StoreFor("eu").ListAsync(Prefix(slug)));

        var small = Text("id,amount\n1,2\n3,4\n");
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(admin, slug, small, "small.csv")).StatusCode);
    }
}

public sealed class DatasetUploadLimitTestsOnSqlite(SmallUploadsFixture<Sqlite> fixture) : DatasetUploadLimitTests<Sqlite>(fixture);

public sealed class DatasetUploadLimitTestsOnPostgres(SmallUploadsFixture<Postgres> fixture) : DatasetUploadLimitTests<Postgres>(fixture);
