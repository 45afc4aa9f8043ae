using System.Text;
using ControlPlane.Core.Data;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Storage;

public abstract class RegionStorageTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task An_eu_tenants_first_data_file_is_written_only_to_the_eu_store()
    {
        var slug = TestSlugs.New("eu");
        var csv = "account_id,seats,churned\nA-1,10,false\nA-2,3,true\n"u8.ToArray();

        var result = await App.WithScopeAsync(sp => sp.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = "Eu GmbH", Slug = slug, Region = "eu", UseCases = ["churn-risk"] }, "test",
            new InitialUpload("churn-risk", "accounts.csv", new MemoryStream(csv))));

        Assert.True(result.IsOk, result.Message);
        var eu = await App.Regions.StoreFor("eu").ListAsync(ArtifactPath.TenantRoot(slug));
        var path = Assert.Single(eu);
        Assert.EndsWith("accounts.csv", path, StringComparison.Ordinal);
        Assert.Empty(await App.Regions.StoreFor("us").ListAsync(ArtifactPath.TenantRoot(slug)));
        var usRoot = App.Regions.Regions.Single(r => r.Name == "us").Location;
        Assert.False(Directory.Exists(Path.Combine(usRoot, "tenants", slug)));

        var upload = await App.WithDbAsync(db => db.DataUploads.SingleAsync(u => u.StoragePath == path));
        Assert.Equal("eu", upload.Region);
        Assert.Equal(csv.Length, upload.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(csv)), upload.Sha256);
    }

    [Fact]
    public async Task A_rejected_upload_leaves_neither_tenant_nor_file()
    {
        var slug = TestSlugs.New("bad");
        var result = await App.WithScopeAsync(sp => sp.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = "Bad", Slug = slug, Region = "us", UseCases = ["churn-risk"] }, "test",
            new InitialUpload("churn-risk", "accounts.xlsx", new MemoryStream([1, 2, 3]))));

        Assert.False(result.IsOk);
        Assert.Contains(".csv or .parquet", result.Errors["File"][0], StringComparison.Ordinal);
        Assert.False(await App.WithDbAsync(db => db.Tenants.AnyAsync(t => t.Slug == slug)));
        Assert.Empty(await App.Regions.StoreFor("us").ListAsync(ArtifactPath.TenantRoot(slug)));

        var empty = await App.WithScopeAsync(sp => sp.GetRequiredService<TenantService>().CreateAsync(
            new CreateTenantRequest { Name = "Empty", Slug = slug, Region = "us", UseCases = ["churn-risk"] }, "test",
            new InitialUpload("churn-risk", "accounts.csv", new MemoryStream())));
        Assert.Contains("is empty", empty.Errors["File"][0], StringComparison.Ordinal);
        Assert.False(await App.WithDbAsync(db => db.Tenants.AnyAsync(t => t.Slug == slug)));
    }

    [Fact]
    public async Task The_database_store_writes_reads_lists_and_deletes_per_region()
    {
        var dbs = App.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var eu = new DatabaseArtifactStore("eu", dbs, TimeProvider.System);
        var us = new DatabaseArtifactStore("us", dbs, TimeProvider.System);
        var prefix = $"tenants/{TestSlugs.New("db")}/";

        await eu.WriteAsync(prefix + "a.txt", new MemoryStream("first"u8.ToArray()));
        await eu.WriteAsync(prefix + "a.txt", new MemoryStream("second"u8.ToArray()));
        await eu.WriteAsync(prefix + "sub/b.txt", new MemoryStream("b"u8.ToArray()));

        await using (var read = await eu.OpenReadAsync(prefix + "a.txt"))
        {
            Assert.Equal("second", await new StreamReader(read!, Encoding.UTF8).ReadToEndAsync());
        }

        Assert.Equal([prefix + "a.txt", prefix + "sub/b.txt"], await eu.ListAsync(prefix));
        Assert.Empty(await us.ListAsync(prefix));
        Assert.Null(await us.OpenReadAsync(prefix + "a.txt"));
        Assert.Equal(2, await eu.DeleteTreeAsync(prefix));
        Assert.False(await eu.ExistsAsync(prefix + "a.txt"));
    }
}

public sealed class RegionStorageTestsOnSqlite(AppFixture<Sqlite> fixture) : RegionStorageTests<Sqlite>(fixture);

public sealed class RegionStorageTestsOnPostgres(AppFixture<Postgres> fixture) : RegionStorageTests<Postgres>(fixture);
