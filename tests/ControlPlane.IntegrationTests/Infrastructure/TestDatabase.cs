using ControlPlane.Core.Options;
using Npgsql;

namespace ControlPlane.IntegrationTests.Infrastructure;

/// <summary>A throwaway database of one provider: a SQLite file in a temp folder, or a fresh database on the test PostgreSQL server.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    DatabaseProvider Provider { get; }
    string ConnectionString { get; }
}

public sealed class SqliteTestDatabase : ITestDatabase
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cp-sqlite-").FullName;

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string ConnectionString => $"Data Source={Path.Combine(_folder, "controlplane.db")};Pooling=False";

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finalizing connection is cleaned with the temp folder later.
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class PostgresTestDatabase : ITestDatabase
{
    public const string ServerVariable = "CONTROLPLANE_TEST_PG";

    private readonly string _server;
    private readonly string _name = $"cp_test_{Guid.NewGuid():N}";

    private PostgresTestDatabase(string server)
    {
        _server = server;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _name, Pooling = true, MaxPoolSize = 20 }.ConnectionString;
    }

    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    public string ConnectionString { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{ServerVariable} is not set. Run the tests with tests/run.sh, which installs and starts a throwaway PostgreSQL and sets it.");
        }

        var database = new PostgresTestDatabase(server);
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database._name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
