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

    /// <summary>The one role the test server (tests/run.sh) makes give its password; everyone else is trusted on loopback.</summary>
    public const string PasswordUser = "cp_password_user";

    public const string PasswordUserPassword = "Pw-User-9c41";

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

    /// <summary>A connection string to the customer database as <see cref="PasswordUser"/> with the given password.</summary>
    public string PasswordUserConnectionString(string password) =>
        new NpgsqlConnectionStringBuilder(_server) { Database = SourceDatabase, Username = PasswordUser, Password = password, Pooling = false }.ConnectionString;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await ExecuteAsync(_server, $"CREATE DATABASE \"{SourceDatabase}\"");
        await EnsurePasswordUserAsync();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS \"{SourceDatabase}\" WITH (FORCE)");
        Directory.Delete(AllowedRoot, recursive: true);
    }

    public Task SourceSqlAsync(string sql) => ExecuteAsync(SourceConnectionString, sql);

    private async Task EnsurePasswordUserAsync()
    {
        try
        {
            await ExecuteAsync(_server, $"CREATE ROLE {PasswordUser} LOGIN PASSWORD '{PasswordUserPassword}'");
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation)
        {
            // Made by an earlier fixture on the same server (or one running beside this one).
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
