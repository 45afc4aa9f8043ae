using System.Net;
using System.Net.Http.Json;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static ControlPlane.IntegrationTests.Datasets.DatasetUploads;

namespace ControlPlane.IntegrationTests.Datasets;

public abstract class DataSourcesApiTests<TProvider>(DataSourceFixture<TProvider> fixture) : IClassFixture<DataSourceFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task A_sql_source_is_stored_encrypted_and_pulls_only_rows_after_its_watermark()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var table = await CreateTableAsync(rows: 5, firstDay: 1);

        var set = await admin.PutAsJsonAsync(SourceUrl(slug), new
        {
            kind = "sql", connectionString = fixture.SourceConnectionString,
            query = $"SELECT account_id, seats, updated_at FROM {table}", watermarkColumn = "updated_at",
        });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var shown = await (await admin.GetAsync(SourceUrl(slug))).Content.ReadAsStringAsync();
        Assert.DoesNotContain(DataSourceFixture<TProvider>.Password, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("connectionString", shown, StringComparison.OrdinalIgnoreCase);
        var view = System.Text.Json.Nodes.JsonNode.Parse(shown)!;
        Assert.Equal(fixture.SourceDatabase, view["database"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", view["host"]!.GetValue<string>());
        var stored = await App.WithDbAsync(db => db.DataSources.Where(s => s.Enrollment!.Tenant!.Slug == slug)
            .Select(s => s.ProtectedConnectionString).SingleAsync());
        Assert.NotEqual(fixture.SourceConnectionString, stored);
        Assert.DoesNotContain(DataSourceFixture<TProvider>.Password, stored!, StringComparison.Ordinal);

        var first = await admin.PostAsync($"{SourceUrl(slug)}/pull", null);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var v1 = (await first.ReadNodeAsync())["dataset"]!["version"]!;
        Assert.Equal(1, v1["number"]!.GetValue<int>());
        Assert.Equal(5, v1["rowCount"]!.GetValue<long>());
        Assert.Equal("sql", v1["sourceKind"]!.GetValue<string>());
        Assert.Equal("2026-01-05T00:00:00Z", await WatermarkAsync(admin, slug));

        await fixture.SourceSqlAsync(
            $"INSERT INTO {table} SELECT 'B' || d, d, TIMESTAMPTZ '2026-02-01 00:00:00+00' + (d || ' hours')::interval FROM generate_series(1, 3) d");
        var second = await admin.PostAsync($"{SourceUrl(slug)}/pull", null);

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var v2 = (await second.ReadNodeAsync())["dataset"]!["version"]!;
        Assert.Equal(2, v2["number"]!.GetValue<int>());
        Assert.Equal(3, v2["rowCount"]!.GetValue<long>());
        Assert.Equal("2026-02-01T03:00:00Z", await WatermarkAsync(admin, slug));

        var nothing = await admin.PostAsync($"{SourceUrl(slug)}/pull", null);

        Assert.Equal(HttpStatusCode.OK, nothing.StatusCode);
        var body = await nothing.ReadNodeAsync();
        Assert.False(body["created"]!.GetValue<bool>());
        Assert.Contains("No rows after", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, await App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
    }

    [Fact]
    public async Task A_bad_query_or_bad_credentials_are_refused_at_their_field_with_the_database_reason_and_nothing_is_stored()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "eu");

        var badQuery = await admin.PutAsJsonAsync(SourceUrl(slug), new
        {
            kind = "sql", connectionString = fixture.SourceConnectionString, query = "SELECT * FROM no_such_table",
        });
        var notSelect = await admin.PutAsJsonAsync(SourceUrl(slug), new
        {
            kind = "sql", connectionString = fixture.SourceConnectionString, query = "DELETE FROM accounts",
        });

        // The test server makes this one user give its password (tests/run.sh): the wrong one is refused.
        var wrongPassword = fixture.PasswordUserConnectionString("Not-The-Password-1");
        var badLogin = await admin.PutAsJsonAsync(SourceUrl(slug), new { kind = "sql", connectionString = wrongPassword, query = "SELECT 1 AS one" });

        Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);
        Assert.Contains("no_such_table", Assert.Single((await badQuery.ReadNodeAsync()).FieldErrors("Query")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notSelect.StatusCode);
        Assert.Single((await notSelect.ReadNodeAsync()).FieldErrors("Query"));
        Assert.Equal(HttpStatusCode.BadRequest, badLogin.StatusCode);
        var loginText = await badLogin.Content.ReadAsStringAsync();
        Assert.Contains("password authentication failed", Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(loginText)!.FieldErrors("ConnectionString")), StringComparison.Ordinal);
        Assert.DoesNotContain("Not-The-Password-1", loginText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(SourceUrl(slug))).StatusCode);
        Assert.Equal(0, await App.WithDbAsync(db => db.DataSources.CountAsync(s => s.Enrollment!.Tenant!.Slug == slug)));

        // The same user with its real password is accepted: the refusal above was the password, nothing else.
        var rightPassword = fixture.PasswordUserConnectionString(DataSourceFixture<TProvider>.PasswordUserPassword);
        var goodLogin = await admin.PutAsJsonAsync(SourceUrl(slug), new { kind = "sql", connectionString = rightPassword, query = "SELECT 1 AS one" });
        Assert.Equal(HttpStatusCode.OK, goodLogin.StatusCode);
    }

    [Fact]
    public async Task A_one_letter_password_leaves_the_database_reason_whole()
    {
        // The old scrubber replaced every "p" in the message with *** when the password was "p".
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");

        var response = await admin.PutAsJsonAsync(SourceUrl(slug), new { kind = "sql", connectionString = fixture.PasswordUserConnectionString("p"), query = "SELECT 1 AS one" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.ReadNodeAsync()).FieldErrors("ConnectionString"));
        Assert.Contains($"28P01: password authentication failed for user \"{DataSourceFixture<TProvider>.PasswordUser}\"", error, StringComparison.Ordinal);
        Assert.DoesNotContain("***", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_answers_at_an_allowed_address_that_is_not_postgresql_is_not_described()
    {
        // A listener that greets like an SSH server: the error must not echo its banner or say what kind of service it is.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var answering = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            await stream.WriteAsync("SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n"u8.ToArray());
            await Task.Delay(200);
        });
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");

        var response = await admin.PutAsJsonAsync(SourceUrl(slug), new
        {
            kind = "sql", connectionString = $"Host=127.0.0.1;Port={port};Database=crm;Username=reader;Password=secret;Timeout=5", query = "SELECT 1 AS one",
        });
        await answering;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Cannot connect: No PostgreSQL server answered as expected at that host and port (it may be down, elsewhere, or not PostgreSQL).",
            Assert.Single((await response.ReadNodeAsync()).FieldErrors("ConnectionString")));
    }

    [Fact]
    public async Task A_path_source_pulls_the_newest_file_under_the_allowed_root_and_a_path_outside_is_refused()
    {
        using var admin = App.CreateAdminClient();
        var slug = await CreateTenantAsync(admin, "us");
        var folder = Directory.CreateDirectory(Path.Combine(fixture.AllowedRoot, slug)).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "old.csv"), "account_id,seats\nA1,1\n");
        File.SetLastWriteTimeUtc(Path.Combine(folder, "old.csv"), DateTime.UtcNow.AddHours(-1));
        await File.WriteAllTextAsync(Path.Combine(folder, "new.csv"), "account_id,seats\nA1,1\nA2,2\nA3,3\n");

        var outside = await admin.PutAsJsonAsync(SourceUrl(slug), new { kind = "path", path = "/etc/*.csv" });
        var escaping = await admin.PutAsJsonAsync(SourceUrl(slug), new { kind = "path", path = Path.Combine(fixture.AllowedRoot, "..", "x.csv") });
        var set = await admin.PutAsJsonAsync(SourceUrl(slug), new { kind = "path", path = Path.Combine(folder, "*.csv") });
        var pulled = await admin.PostAsync($"{SourceUrl(slug)}/pull", null);
        var again = await admin.PostAsync($"{SourceUrl(slug)}/pull", null);

        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("outside the folders an operator allowed", Assert.Single((await outside.ReadNodeAsync()).FieldErrors("Path")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, escaping.StatusCode);
        Assert.Single((await escaping.ReadNodeAsync()).FieldErrors("Path"));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.Created, pulled.StatusCode);
        var version = (await pulled.ReadNodeAsync())["dataset"]!["version"]!;
        Assert.Equal("path", version["sourceKind"]!.GetValue<string>());
        Assert.Equal("new.csv", version["fileName"]!.GetValue<string>());
        Assert.Equal(3, version["rowCount"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await again.ReadNodeAsync())["created"]!.GetValue<bool>());
        Assert.Equal(1, await App.WithDbAsync(db => db.DatasetVersions.CountAsync(v => v.Enrollment!.Tenant!.Slug == slug)));
    }

    private async Task<string> CreateTableAsync(int rows, int firstDay)
    {
        var table = $"accounts_{Guid.NewGuid():N}"[..20];
        await fixture.SourceSqlAsync($"CREATE TABLE {table} (account_id text, seats int, updated_at timestamptz)");
        await fixture.SourceSqlAsync(
            $"INSERT INTO {table} SELECT 'A' || d, d, TIMESTAMPTZ '2026-01-01 00:00:00+00' + ((d - 1) || ' days')::interval FROM generate_series({firstDay}, {firstDay + rows - 1}) d");
        return table;
    }

    private static async Task<string> WatermarkAsync(HttpClient client, string slug) =>
        (await (await client.GetAsync(SourceUrl(slug))).ReadNodeAsync())["lastWatermark"]!.GetValue<string>();

    private static string SourceUrl(string slug) => $"/api/v1/tenants/{slug}/use-cases/{UseCase}/source";
}

public sealed class DataSourcesApiTestsOnSqlite(DataSourceFixture<Sqlite> fixture) : DataSourcesApiTests<Sqlite>(fixture);

public sealed class DataSourcesApiTestsOnPostgres(DataSourceFixture<Postgres> fixture) : DataSourcesApiTests<Postgres>(fixture);
