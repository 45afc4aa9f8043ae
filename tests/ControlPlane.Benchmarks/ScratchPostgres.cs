using Npgsql;

namespace ControlPlane.Benchmarks;

/// <summary>A fresh database on the benchmark's PostgreSQL server, dropped when disposed.</summary>
public sealed class ScratchPostgres : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private ScratchPostgres(string server, string name, string connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<ScratchPostgres> CreateAsync(string server, string purpose)
    {
        var name = $"cp_bench_{purpose}_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"");
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 50 }.ConnectionString;
        return new ScratchPostgres(server, name, cs);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
