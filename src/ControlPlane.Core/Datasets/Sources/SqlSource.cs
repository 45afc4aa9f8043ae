using System.Text.RegularExpressions;
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

    /// <summary>The database's reason, with the password scrubbed should a driver message ever echo it.</summary>
    public static string Reason(Exception ex, string? password)
    {
        var message = ex is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : ex.Message;
        return string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
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
