using System.Net;
using System.Net.Http.Json;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>An app with one folder allowed for path sources, and a folder beside it that is not allowed.</summary>
public sealed class PathRootFixture<TProvider> : AppFixture<TProvider>, IAsyncLifetime where TProvider : IProviderKind
{
    private readonly string _parent = Directory.CreateTempSubdirectory("cp-paths-").FullName;

    public string AllowedRoot => Path.Combine(_parent, "allowed");

    /// <summary>Outside the root: holds a CSV nobody may read through a path source.</summary>
    public string Outside => Path.Combine(_parent, "outside");

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ControlPlane:DataSources:AllowedPathRoots:0"] = AllowedRoot,
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        Directory.CreateDirectory(AllowedRoot);
        Directory.CreateDirectory(Outside);
        await File.WriteAllTextAsync(Path.Combine(Outside, "secret.csv"), "account_id,salary\nA1,100000\nA2,200000\n");
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Directory.Delete(_parent, recursive: true);
    }
}

/// <summary>Issue 16, point 3: a path source reads only files whose real path is under an allowed root, and says so without server paths.</summary>
public abstract class SourcePathTests<TProvider>(PathRootFixture<TProvider> fixture) : IClassFixture<PathRootFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Theory]
    [InlineData("linked/*.csv")]
    [InlineData("**/*.csv")]
    public async Task A_directory_link_inside_the_root_that_leads_outside_is_not_followed(string glob)
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var folder = Directory.CreateDirectory(Path.Combine(fixture.AllowedRoot, slug)).FullName;
        Directory.CreateSymbolicLink(Path.Combine(folder, "linked"), fixture.Outside);

        var (set, pulled) = await SetAndPullAsync(admin, slug, Path.Combine(folder, glob));

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        var body = await pulled.ReadNodeAsync();
        Assert.False(body["created"]!.GetValue<bool>());
        Assert.StartsWith("No file matches", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await VersionsAsync(slug));
    }

    [Fact]
    public async Task A_file_link_that_leads_outside_is_not_read()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var folder = Directory.CreateDirectory(Path.Combine(fixture.AllowedRoot, slug)).FullName;
        File.CreateSymbolicLink(Path.Combine(folder, "export.csv"), Path.Combine(fixture.Outside, "secret.csv"));

        var (_, pulled) = await SetAndPullAsync(admin, slug, Path.Combine(folder, "*.csv"));

        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.False((await pulled.ReadNodeAsync())["created"]!.GetValue<bool>());
        Assert.Equal(0, await VersionsAsync(slug));
    }

    [Fact]
    public async Task Links_that_stay_inside_the_root_are_followed_and_a_link_loop_ends()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var folder = Directory.CreateDirectory(Path.Combine(fixture.AllowedRoot, slug)).FullName;
        var real = Directory.CreateDirectory(Path.Combine(folder, "2026", "12")).FullName;
        await File.WriteAllTextAsync(Path.Combine(real, "accounts.csv"), "account_id,seats\nA1,1\nA2,2\n");
        Directory.CreateSymbolicLink(Path.Combine(folder, "latest"), real);
        Directory.CreateSymbolicLink(Path.Combine(real, "loop"), folder); // an ancestor: walking it would never end

        var (_, viaLink) = await SetAndPullAsync(admin, slug, Path.Combine(folder, "latest", "*.csv"));
        var (_, everywhere) = await SetAndPullAsync(admin, slug, Path.Combine(folder, "**", "*.csv"));

        Assert.Equal(HttpStatusCode.Created, viaLink.StatusCode);
        Assert.Equal("accounts.csv", (await viaLink.ReadNodeAsync())["dataset"]!["version"]!["fileName"]!.GetValue<string>());
        Assert.True(everywhere.IsSuccessStatusCode, await everywhere.Content.ReadAsStringAsync());
        Assert.Equal(1, await VersionsAsync(slug)); // the same bytes again: the version is reused
    }

    [Fact]
    public async Task Refusals_name_the_problem_without_server_paths()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");

        var outside = await PutPathAsync(admin, slug, Path.Combine(fixture.Outside, "*.csv"));
        var escaping = await PutPathAsync(admin, slug, Path.Combine(fixture.AllowedRoot, "..", "outside", "secret.csv"));
        var nul = await PutPathAsync(admin, slug, Path.Combine(fixture.AllowedRoot, "a\0b.csv"));
        var relative = await PutPathAsync(admin, slug, "exports/*.csv");

        foreach (var (response, expected) in new[]
        {
            (outside, "outside the folders an operator allowed"), (escaping, "outside the folders an operator allowed"),
            (nul, "contains a NUL character"), (relative, "Enter an absolute file path"),
        })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Contains(expected, Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(text)!.FieldErrors("Path")), StringComparison.Ordinal);
            Assert.DoesNotContain(fixture.AllowedRoot, text, StringComparison.Ordinal);
        }

        Assert.False(await App.WithDbAsync(db => db.DataSources.AnyAsync(s => s.Enrollment!.Tenant!.Slug == slug)));
    }

    private async Task<(HttpResponseMessage Set, HttpResponseMessage Pulled)> SetAndPullAsync(HttpClient admin, string slug, string path)
    {
        var set = await PutPathAsync(admin, slug, path);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        return (set, await admin.PostAsync($"{SourceUrl(slug)}/pull", null));
    }

    private static Task<HttpResponseMessage> PutPathAsync(HttpClient admin, string slug, string path) =>
        admin.PutAsJsonAsync(SourceUrl(slug), new { kind = "path", path });

    private Task<int> VersionsAsync(string slug) => App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug));

    private static string SourceUrl(string slug) => $"/api/v1/tenants/{slug}/use-cases/{UseCase}/source";
}

public sealed class SourcePathTestsOnSqlite(PathRootFixture<Sqlite> fixture) : SourcePathTests<Sqlite>(fixture);

public sealed class SourcePathTestsOnPostgres(PathRootFixture<Postgres> fixture) : SourcePathTests<Postgres>(fixture);
