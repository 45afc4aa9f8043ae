using System.Text.RegularExpressions;
using ControlPlane.Core.Security;
using Npgsql;

namespace ControlPlane.Core.Datasets.Sources;

/// <summary>The SQL of a SQL source: the user's SELECT wrapped as a sub-query, and how its errors are reported.</summary>
internal static partial class SqlSource
{
    public static string? CheckQuery(string? query, out string normalized)
    {
        normalized = (query ?? "").Trim().TrimEnd(';').Trim();
        if (normalized.Length == 0)
        {
            return "Enter a SELECT query.";
        }

        if (!StartsWithSelect().IsMatch(normalized))
        {
            return "The query must start with SELECT or WITH.";
        }

        return normalized.Contains(';', StringComparison.Ordinal) ? "The query must be a single statement (no ';' inside)." : null;
    }

    /// <summary>Connections to sources are opened rarely: no pool is kept to someone else's database.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString) =>
        new(connectionString) { Pooling = false, ApplicationName = "ControlPlane data source" };

    /// <summary>The first setting that would make the driver read a file on this server (a password file, keys), if any.</summary>
    public static string? ServerFileSetting(NpgsqlConnectionStringBuilder connection) =>
        !string.IsNullOrEmpty(connection.Passfile) ? "Passfile"
        : !string.IsNullOrEmpty(connection.RootCertificate) ? "Root Certificate"
        : !string.IsNullOrEmpty(connection.SslCertificate) ? "SSL Certificate"
        : !string.IsNullOrEmpty(connection.SslKey) ? "SSL Key"
        : null;

    public static string Probe(string query) => $"SELECT * FROM ({query}) q LIMIT 0";

    /// <summary>The query, incremental when a watermark is set: rows after the last one, oldest first.</summary>
    public static string Pull(string query, string? watermark, string? lastWatermark, string? watermarkType)
    {
        if (string.IsNullOrEmpty(watermark))
        {
            return $"SELECT * FROM ({query}) q";
        }

        var column = Quote(watermark);
        var after = lastWatermark is null ? "" : $" WHERE q.{column} > CAST(@last AS {watermarkType})";
        return $"SELECT * FROM ({query}) q{after} ORDER BY q.{column} NULLS FIRST";
    }

    public static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>
    /// What went wrong, in words that reveal nothing a PostgreSQL server did not say itself: a server's own error (its
    /// SQL state and text, which never echo the password), the egress policy's refusal, or one sentence for everything
    /// else — whatever answered at that address (another service, nothing, a firewall) is not described.
    /// </summary>
    public static string Reason(Exception ex) => ex switch
    {
        EgressRefusedException refused => refused.Message,
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        Tabular.TableFormatException table => table.Message,
        _ => "No PostgreSQL server answered as expected at that host and port (it may be down, elsewhere, or not PostgreSQL).",
    };

    /// <summary>
    /// Opens a connection to the source once the egress policy allowed its host, to the very address it checked (DNS
    /// rebinding cannot move it between the check and the connection). Under SslMode=VerifyFull the certificate is
    /// checked against the host name, so the name is kept and checked just before connecting; the same when the
    /// host has only IPv6 addresses (decision 0037).
    /// </summary>
    /// <exception cref="EgressRefusedException">The host is not allowed.</exception>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlConnectionStringBuilder connection, EgressPolicy egress, CancellationToken ct)
    {
        var host = connection.Host?.Trim() ?? "";
        if (host.Contains(',', StringComparison.Ordinal))
        {
            throw new EgressRefusedException("Give one host: a list of hosts is not supported for a data source.");
        }

        if (host.StartsWith('/') || host.StartsWith('@'))
        {
            throw new EgressRefusedException("A Unix socket connects to this server itself; give a host name or address.");
        }

        var addresses = await egress.ResolveAsync(host, ct);
        var target = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        if (connection.SslMode != SslMode.VerifyFull && addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) is { } v4)
        {
            target.Host = v4.ToString();
        }

        var db = new NpgsqlConnection(target.ConnectionString);
        try
        {
            await db.OpenAsync(ct);
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="sql"/> in a read-only transaction: a source is read, never written.</summary>
    public static async Task<NpgsqlCommand> ReadOnlyCommandAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        return new NpgsqlCommand(sql, connection, transaction);
    }

    [GeneratedRegex(@"^(select|with)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StartsWithSelect();
}
