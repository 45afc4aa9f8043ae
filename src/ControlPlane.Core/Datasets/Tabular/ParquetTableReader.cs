using Parquet;
using Parquet.Schema;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Reads a flat Parquet file as rows of invariant text cells: numbers in round-trip form, booleans "true"/"false",
/// instants as ISO-8601 UTC with seven fractional digits, null for a missing value. Only one row group is held
/// at a time, so the memory used follows the producer's row-group size, not the file size.
/// </summary>
public sealed class ParquetTableReader : ITableReader
{
    private readonly ParquetReader _reader;
    private readonly ParquetCells[] _cells;
    private int _nextRowGroup;
    private int _rowsInGroup;
    private int _rowInGroup;
    private long _rowsRead;

    private ParquetTableReader(ParquetReader reader, IReadOnlyList<DataField> fields)
    {
        _reader = reader;
        Columns = fields.Select(f => f.Name).ToArray();
        _cells = fields.Select(ParquetCells.For).ToArray();
    }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>Opens <paramref name="input"/> (readable and seekable: Parquet keeps its index at the end); the caller keeps ownership of it.</summary>
    public static async Task<ParquetTableReader> OpenAsync(Stream input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.CanRead || !input.CanSeek)
            throw new ArgumentException("A Parquet file is read from its footer, so the stream must be readable and seekable.", nameof(input));

        await CheckFooterAsync(input, ct);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(input, leaveStreamOpen: true, cancellationToken: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The library reports bad magic, a short file and a garbled footer with several exception types.
            throw NotParquet(e);
        }

        try
        {
            var fields = FlatFields(reader.Schema);
            return new ParquetTableReader(reader, fields);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<int> ReadBatchAsync(RowBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.FirstRow = _rowsRead + 1;
        var count = 0;
        while (count < batch.Capacity)
        {
            if (_rowInGroup == _rowsInGroup && !await LoadNextRowGroupAsync(ct)) break;
            var row = batch.Rows[count] is { } reused && reused.Length == _cells.Length ? reused : new string?[_cells.Length];
            for (var c = 0; c < _cells.Length; c++)
            {
                var cell = row[c] = _cells[c][_rowInGroup];
                if (cell is { Length: > TableLimits.MaxFieldChars })
                    throw TableLimits.FieldTooLong("Row", _rowsRead + count + 1, c + 1, Columns[c], cell.Length);
            }
            batch.Rows[count++] = row;
            _rowInGroup++;
        }
        batch.Count = count;
        _rowsRead += count;
        return count;
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private async Task<bool> LoadNextRowGroupAsync(CancellationToken ct)
    {
        // Skip empty row groups: a writer may emit one for an empty table.
        while (_nextRowGroup < _reader.RowGroupCount)
        {
            try
            {
                using var rowGroup = _reader.OpenRowGroupReader(_nextRowGroup++);
                var rows = checked((int)rowGroup.RowCount);
                foreach (var cells in _cells) await cells.LoadAsync(rowGroup, rows, ct);
                _rowsInGroup = rows;
                _rowInGroup = 0;
                if (rows > 0) return true;
            }
            catch (Exception e) when (e is not (OperationCanceledException or TableFormatException))
            {
                throw new TableFormatException(
                    $"The file is not a valid Parquet file: row group {_nextRowGroup} (from row {_rowsRead + 1}) cannot be read: {Common.ServerPaths.Scrub(e.Message)}",
                    _rowsRead + 1);
            }
        }
        return false;
    }

    /// <summary>
    /// Refuses a footer over <see cref="TableLimits.MaxParquetFooterBytes"/> before the library parses it: the footer
    /// holds the schema, so a table of a million columns is a large footer. A file too short to have one is left to
    /// the library to name.
    /// </summary>
    private static async Task CheckFooterAsync(Stream input, CancellationToken ct)
    {
        if (input.Length < 12) return;
        var tail = new byte[8];
        var start = input.Position;
        input.Seek(-8, SeekOrigin.End);
        await input.ReadExactlyAsync(tail, ct);
        input.Position = start;
        var footer = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(tail);
        if (footer > TableLimits.MaxParquetFooterBytes && tail.AsSpan(4).SequenceEqual("PAR1"u8))
            throw new TableFormatException(
                $"The Parquet file's footer (its schema and index) has {footer:N0} bytes; at most {TableLimits.MaxParquetFooterBytes:N0} are accepted. " +
                $"Write fewer columns (at most {TableLimits.MaxColumns:N0}) or larger row groups.");
    }

    private static DataField[] FlatFields(ParquetSchema schema)
    {
        if (schema.Fields.Count > TableLimits.MaxColumns) throw TableLimits.TooManyColumns(schema.Fields.Count);
        foreach (var field in schema.Fields)
        {
            if (field.SchemaType != SchemaType.Data || field is DataField { IsArray: true })
                throw new TableFormatException($"Column '{field.Name}' is nested; only flat tables are supported.", column: field.Name);
        }
        var fields = schema.DataFields;
        if (fields.Length == 0) throw new TableFormatException("The Parquet file has no columns.");
        TableLimits.CheckColumns(fields.Select(f => f.Name).ToArray());

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (string.IsNullOrWhiteSpace(field.Name)) throw new TableFormatException("The Parquet file has a column without a name.");
            if (!seen.Add(field.Name)) throw new TableFormatException($"Column '{field.Name}' appears more than once.", column: field.Name);
        }
        return fields;
    }

    private static TableFormatException NotParquet(Exception e) => new($"The file is not a valid Parquet file: {Common.ServerPaths.Scrub(e.Message)}");
}
