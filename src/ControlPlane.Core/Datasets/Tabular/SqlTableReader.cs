using System.Globalization;
using Npgsql;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Rows of a PostgreSQL query as text cells: numbers and booleans in invariant form, timestamps as ISO-8601 UTC,
/// SQL NULL as a missing value. The reader owns the command and its connection.
/// </summary>
public sealed class SqlTableReader : ITableReader
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _command;
    private readonly NpgsqlDataReader _reader;
    private long _rows;

    private SqlTableReader(NpgsqlConnection connection, NpgsqlCommand command, NpgsqlDataReader reader)
    {
        _connection = connection;
        _command = command;
        _reader = reader;
        if (reader.FieldCount > TableLimits.MaxColumns)
        {
            throw TableLimits.TooManyColumns(reader.FieldCount);
        }

        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        TableLimits.CheckColumns(columns);
        if (columns.Any(string.IsNullOrWhiteSpace) || columns.Distinct(StringComparer.Ordinal).Count() != columns.Length)
        {
            throw new TableFormatException("The query's columns must have unique, non-empty names (alias computed columns).");
        }

        Columns = columns;
    }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>Runs <paramref name="command"/> (whose connection is open) and takes ownership of both.</summary>
    public static async Task<SqlTableReader> OpenAsync(NpgsqlCommand command, CancellationToken ct = default)
    {
        var reader = await command.ExecuteReaderAsync(ct);
        try
        {
            return new SqlTableReader(command.Connection!, command, reader);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<int> ReadBatchAsync(RowBatch batch, CancellationToken ct = default)
    {
        batch.FirstRow = _rows + 1;
        var count = 0;
        while (count < batch.Capacity && await _reader.ReadAsync(ct))
        {
            var row = batch.Rows[count] ??= new string?[Columns.Count];
            for (var i = 0; i < Columns.Count; i++)
            {
                var cell = row[i] = await _reader.IsDBNullAsync(i, ct) ? null : Cell(_reader.GetValue(i));
                if (cell is { Length: > TableLimits.MaxFieldChars })
                {
                    throw TableLimits.FieldTooLong("Row", _rows + count + 1, i + 1, Columns[i], cell.Length);
                }
            }

            count++;
        }

        _rows += count;
        batch.Count = count;
        return count;
    }

    /// <summary>A database value as the text a CSV of it would hold.</summary>
    public static string Cell(object value) => value switch
    {
        DateTime { Kind: DateTimeKind.Local } d => d.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        await _command.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
