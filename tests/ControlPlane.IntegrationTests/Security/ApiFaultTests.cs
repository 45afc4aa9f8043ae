using System.Net;
using System.Text;
using ControlPlane.IntegrationTests.Infrastructure;
using Npgsql;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Security;

/// <summary>Two regions: "us" as usual and "broken", whose store folder the tests replace with a file.</summary>
public sealed class FaultsFixture<TProvider> : AppFixture<TProvider> where TProvider : IProviderKind
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["ControlPlane:Regions:0:Name"] = "us",
        ["ControlPlane:Regions:1:Name"] = "broken",
        ["ControlPlane:Regions:1:Path"] = "regions/broken",
    };

    /// <summary>Makes every write to the "broken" region fail as a real file system does: its folder becomes a file.</summary>
    public void BreakRegion()
    {
        var folder = Path.Combine(App.DataDirectory, "regions", "broken");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        File.WriteAllText(folder, "not a folder");
    }
}

/// <summary>Issue 16, point 8: faults on API routes are JSON problems with a correlation id; readiness reports failing writes.</summary>
public abstract class ApiFaultTests<TProvider>(FaultsFixture<TProvider> fixture) : IClassFixture<FaultsFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task An_unknown_route_and_a_wrong_method_answer_json_problems()
    {
        using var admin = App.CreateAdminClient();

        var unknown = await admin.GetAsync("/api/v1/no-such-route");
        var wrongMethod = await admin.DeleteAsync("/api/v1/regions");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("application/problem+json", wrongMethod.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_store_that_cannot_be_written_gives_a_json_500_with_a_correlation_id_and_readiness_turns_degraded()
    {
        using var admin = App.CreateAdminClient();
        using var anonymous = App.CreateAnonymousClient();
        var slug = await CreateTenantAsync(admin, "broken");
        Assert.Equal("Healthy", (await (await anonymous.GetAsync("/health/ready")).ReadNodeAsync())["status"]!.GetValue<string>());
        fixture.BreakRegion();

        var upload = await UploadAsync(admin, slug, Text("id,amount\n1,2\n3,4\n"), "data.csv");
        var (ready, readiness) = await Eventually.Until(async () =>
            {
                var response = await anonymous.GetAsync("/health/ready");
                return (response, await response.ReadNodeAsync());
            },
            r => r.Item2["status"]!.GetValue<string>() == "Degraded", "readiness to turn degraded");

        Assert.Equal(HttpStatusCode.InternalServerError, upload.StatusCode);
        Assert.Equal("application/problem+json", upload.Content.Headers.ContentType?.MediaType);
        var text = await upload.Content.ReadAsStringAsync();
        var problem = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        var correlation = upload.Headers.GetValues("X-Correlation-Id").Single();
        Assert.Equal(correlation, problem["correlationId"]!.GetValue<string>());
        Assert.Contains(correlation, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(App.DataDirectory, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // degraded still serves
        var writes = readiness["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "writes")!;
        Assert.Equal("Writes to the store of region broken fail.", writes["description"]!.GetValue<string>());
    }
}

/// <summary>The answer to each kind of fault, found through the exception and its inner exceptions.</summary>
public sealed class ApiFaultClassificationTests
{
    [Fact]
    public void A_full_disk_is_507_an_unreachable_database_503_and_anything_else_500()
    {
        var diskFull = new IOException("No space left on device : '/var/lib/cp/regions/us/x.parquet'", 28);

        Assert.Equal(507, ControlPlane.Web.Api.ApiFaults.Classify(new InvalidOperationException("wrapped", diskFull)).Status);
        Assert.Equal(503, ControlPlane.Web.Api.ApiFaults.Classify(new NpgsqlException("refused")).Status);
        Assert.Equal(503, ControlPlane.Web.Api.ApiFaults.Classify(new TimeoutException()).Status);
        Assert.Equal(500, ControlPlane.Web.Api.ApiFaults.Classify(new IOException("Is a directory", 21)).Status);
        Assert.Equal(500, ControlPlane.Web.Api.ApiFaults.Classify(new NullReferenceException()).Status);
        Assert.DoesNotContain("/var/lib", ControlPlane.Web.Api.ApiFaults.Classify(diskFull).Detail, StringComparison.Ordinal);
    }
}

public sealed class ApiFaultTestsOnSqlite(FaultsFixture<Sqlite> fixture) : ApiFaultTests<Sqlite>(fixture);

public sealed class ApiFaultTestsOnPostgres(FaultsFixture<Postgres> fixture) : ApiFaultTests<Postgres>(fixture);

/// <summary>The PostgreSQL database refusing connections, as when it is down: the API answers 503 problems, readiness Unhealthy, and both recover.</summary>
public sealed class DatabaseDownTests(AppFixture<Postgres> fixture) : IClassFixture<AppFixture<Postgres>>
{
    [Fact]
    public async Task With_the_database_down_reads_and_writes_get_a_json_503_and_readiness_is_unhealthy_until_it_is_back()
    {
        var app = fixture.App;
        using var admin = app.CreateAdminClient();
        using var anonymous = app.CreateAnonymousClient();
        var name = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString).Database!;
        var server = Environment.GetEnvironmentVariable(PostgresTestDatabase.ServerVariable)!;
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/tenants")).StatusCode);

        await ExecuteAsync(server, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
        NpgsqlConnection.ClearAllPools();
        try
        {
            var read = await admin.GetAsync("/api/v1/tenants");
            var write = await admin.PutAsync("/api/v1/tenants/anyone/use-cases/churn-risk/rules", new StringContent("{}", Encoding.UTF8, "application/json"));
            var ready = await Eventually.Until(async () => await anonymous.GetAsync("/health/ready"),
                r => r.StatusCode == HttpStatusCode.ServiceUnavailable, "readiness to fail");

            foreach (var response in new[] { read, write })
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var text = await response.Content.ReadAsStringAsync();
                Assert.Contains("could not reach its database", text, StringComparison.Ordinal);
                Assert.DoesNotContain("Npgsql", text, StringComparison.Ordinal);
                Assert.DoesNotContain(name, text, StringComparison.Ordinal);
                Assert.Equal("5", response.Headers.RetryAfter?.ToString());
            }

            Assert.Equal("Unhealthy", (await ready.ReadNodeAsync())["status"]!.GetValue<string>());
        }
        finally
        {
            await ExecuteAsync(server, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true");
        }

        await Eventually.Until(async () => (await anonymous.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK, "readiness to recover");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/tenants")).StatusCode);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
