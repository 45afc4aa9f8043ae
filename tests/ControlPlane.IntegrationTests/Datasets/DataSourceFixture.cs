using ControlPlane.IntegrationTests.Infrastructure;
using Npgsql;

namespace ControlPlane.IntegrationTests.Datasets;

/// <summary>
/// The app with a folder allowed for path sources, and a throwaway "customer" database on the test PostgreSQL server
/// for SQL sources (whatever the product's own provider).
/// </summary>
public sealed class DataSourceFixture<TProvider> : AppFixture<TProvider>, IAsyncLifetime where TProvider : IProviderKind
{
    public const string Password = "Src-Passw0rd-7f3e";

    private readonly string _server = Environment.GetEnvironmentVariable(PostgresTestDatabase.ServerVariable)
        ?? throw new InvalidOperationException($"{PostgresTestDatabase.ServerVariable} is not set: SQL source tests need the test PostgreSQL server.");

    public string AllowedRoot { get; } = Directory.CreateTempSubdirectory("cp-sources-").FullName;
    public string SourceDatabase { get; } = $"cp_src_{Guid.NewGuid():N}";

    /// <summary>The customer's connection string as a user would enter it, password included.</summary>
    public string SourceConnectionString =>
        new NpgsqlConnectionStringBuilder(_server) { Database = SourceDatabase, Password = Password, Pooling = false }.ConnectionString;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ControlPlane:DataSources:AllowedPathRoots:0"] = AllowedRoot,
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        await ExecuteAsync(_server, $"CREATE DATABASE \"{SourceDatabase}\"");
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS \"{SourceDatabase}\" WITH (FORCE)");
        Directory.Delete(AllowedRoot, recursive: true);
    }

    public Task SourceSqlAsync(string sql) => ExecuteAsync(SourceConnectionString, sql);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
