using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ControlPlane.Core.Data;

/// <summary>
/// SQLite settings for an embedded server: write-ahead logging (readers never wait for the writer), NORMAL sync (durable
/// at checkpoints, safe against application crashes) and a busy timeout so short write bursts queue instead of failing.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    public const string Statements = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Statements;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Applies the settings to a file database outside EF Core (the Quartz store).</summary>
    public static void ApplyTo(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Apply(connection);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Statements;
        command.ExecuteNonQuery();
    }
}
