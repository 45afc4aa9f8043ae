using System.Buffers;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Streams an RFC 4180 CSV upload: comma (or a semicolon/tab header without commas), quoted fields with "" escapes
/// and line breaks inside, CRLF/LF/CR line ends, UTF-8 with or without BOM. Empty cells are null; blank lines are
/// skipped. Fields are cut straight from a pooled char window, so the only allocations per cell are the cell strings.
/// The row arrays of a <see cref="RowBatch"/> are reused by the next read: copy a row to keep it.
/// </summary>
public sealed class CsvTableReader : ITableReader
{
    // A stray quote makes the rest of the file one field; stop before that field eats the memory.
    private const int MaxRecordChars = 32 * 1024 * 1024;

    private readonly CsvByteSource _source;
    private SearchValues<char> _stops = SearchValues.Create(",\r\n");
    private char _delimiter = ',';
    private string?[] _fields = new string?[64];
    private int _fieldCount;
    private int _pos;
    private long _line = 1; // line where the next record starts
    private long _recordLine;
    private long _rows;

    private CsvTableReader(Stream stream) => _source = new CsvByteSource(stream);

    public IReadOnlyList<string> Columns { get; private set; } = [];

    public char Delimiter => _delimiter;

    /// <exception cref="TableFormatException">The file is empty or its header is unusable.</exception>
    public static async Task<CsvTableReader> OpenAsync(Stream stream, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new CsvTableReader(stream);
        try
        {
            await reader.ReadHeaderAsync(ct);
            return reader;
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
        batch.FirstRow = _rows + 1;
        var count = 0;
        while (count < batch.Capacity)
        {
            var step = ParseRecord();
            if (step == CsvStep.NeedMore)
            {
                await FillAsync(ct);
                continue;
            }

            if (step == CsvStep.End)
            {
                break;
            }

            if (_fieldCount != Columns.Count)
            {
                throw new TableFormatException($"Line {_recordLine} has {_fieldCount} fields; the header has {Columns.Count}.", _recordLine);
            }

            var row = batch.Rows[count];
            if (row is null || row.Length != _fieldCount)
            {
                row = batch.Rows[count] = new string?[_fieldCount];
            }

            Array.Copy(_fields, row, _fieldCount);
            count++;
        }

        _rows += count;
        batch.Count = count;
        return count;
    }

    public ValueTask DisposeAsync()
    {
        _source.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReadHeaderAsync(CancellationToken ct)
    {
        await FillAsync(ct);
        var chars = _source.Chars.AsSpan(0, _source.Length).TrimStart("\r\n");
        while (chars.IndexOfAny('\r', '\n') < 0 && !_source.Completed)
        {
            if (chars.Length > TableLimits.MaxHeaderChars)
            {
                throw HeaderTooLong(chars);
            }

            await FillAsync(ct);
            chars = _source.Chars.AsSpan(0, _source.Length).TrimStart("\r\n");
        }

        var end = chars.IndexOfAny('\r', '\n');
        _delimiter = CsvHeader.DetectDelimiter(end < 0 ? chars : chars[..end]);
        _stops = SearchValues.Create(_delimiter + "\r\n");
        CsvStep step;
        while ((step = ParseRecord()) == CsvStep.NeedMore)
        {
            await FillAsync(ct);
        }

        if (step == CsvStep.End)
        {
            throw new TableFormatException("The file is empty.", 1);
        }

        if (_pos > TableLimits.MaxHeaderChars)
        {
            throw HeaderTooLong(_source.Chars.AsSpan(0, _pos));
        }

        TableLimits.CheckColumns(_fields[.._fieldCount]);
        Columns = Array.AsReadOnly(CsvHeader.Validate(_fields[.._fieldCount]));
    }

    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_source.Length - _pos > MaxRecordChars)
        {
            throw new TableFormatException($"Line {_line}: a quoted field is never closed (the record runs past {MaxRecordChars / (1024 * 1024)} million characters).", _line);
        }

        await _source.FillAsync(_pos, ct);
        _pos = 0;
    }

    /// <summary>Parses one record at <see cref="_pos"/> into <see cref="_fields"/>; on NeedMore nothing is consumed.</summary>
    private CsvStep ParseRecord()
    {
        var chars = _source.Chars.AsSpan(0, _source.Length);
        var done = _source.Completed;
        var i = _pos;
        var line = _line;
        while (i < chars.Length && (chars[i] == '\n' || chars[i] == '\r'))
        {
            if (chars[i] == '\r' && i + 1 >= chars.Length && !done)
            {
                return CsvStep.NeedMore;
            }

            line += chars[i] == '\n' || i + 1 >= chars.Length || chars[i + 1] != '\n' ? 1 : 0;
            i++;
        }

        if (i >= chars.Length)
        {
            if (!done)
            {
                _pos = i;
                _line = line;
                return CsvStep.NeedMore;
            }

            return CsvStep.End;
        }

        var start = line;
        _fieldCount = 0;
        while (true)
        {
            string? value;
            if (i < chars.Length && chars[i] == '"')
            {
                var close = CsvQuotedField.FindClose(chars, i + 1, done, out var escaped);
                if (close == CsvQuotedField.NeedMore)
                {
                    return CsvStep.NeedMore;
                }

                if (close == CsvQuotedField.Unclosed)
                {
                    throw new TableFormatException($"Line {line}: a quoted field is never closed.", line);
                }

                var inner = chars[(i + 1)..close];
                CheckLength(inner.Length, line);
                line += inner.Count('\n');
                value = inner.IsEmpty ? null : escaped ? inner.ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : new string(inner);
                i = close + 1;
                if (i < chars.Length && chars[i] != _delimiter && chars[i] != '\r' && chars[i] != '\n')
                {
                    throw new TableFormatException(
                        $"Line {line}: field {_fieldCount + 1} has text after its closing quote; quotes inside a quoted field must be doubled (\"\").", line);
                }
            }
            else
            {
                var k = i < chars.Length ? chars[i..].IndexOfAny(_stops) : -1;
                if (k < 0 && !done)
                {
                    return CsvStep.NeedMore;
                }

                var end = k < 0 ? chars.Length : i + k;
                CheckLength(end - i, line);
                value = end == i ? null : new string(chars[i..end]);
                i = end;
            }

            AddField(value, start);
            if (i < chars.Length && chars[i] == _delimiter)
            {
                i++;
                continue;
            }

            break;
        }

        // i is at \r, \n or the end of the input.
        if (i < chars.Length && chars[i] == '\r')
        {
            if (i + 1 >= chars.Length && !done)
            {
                return CsvStep.NeedMore;
            }

            i += i + 1 < chars.Length && chars[i + 1] == '\n' ? 2 : 1;
        }
        else if (i < chars.Length)
        {
            i++;
        }

        _pos = i;
        _recordLine = start;
        _line = line + 1;
        return CsvStep.Record;
    }

    private void CheckLength(int length, long line)
    {
        if (length > TableLimits.MaxFieldChars)
        {
            throw TableLimits.FieldTooLong("Line", line, _fieldCount + 1, _fieldCount < Columns.Count ? Columns[_fieldCount] : null, length);
        }
    }

    /// <summary>A header over the length limit; when it holds more delimiters than columns may be, that is the clearer reason.</summary>
    private static TableFormatException HeaderTooLong(ReadOnlySpan<char> header)
    {
        var delimiters = Math.Max(header.Count(','), Math.Max(header.Count(';'), header.Count('\t')));
        return delimiters >= TableLimits.MaxColumns
            ? TableLimits.TooManyColumns(null)
            : new TableFormatException(
                $"Line 1: the header is longer than {TableLimits.MaxHeaderChars:N0} characters; column names must fit in that (at most {TableLimits.MaxColumns:N0} columns).", 1);
    }

    private void AddField(string? value, long line)
    {
        if (_fieldCount == TableLimits.MaxColumns)
        {
            // A row may not be wider than any header could be: stop before a run of delimiters fills the memory.
            throw Columns.Count == 0
                ? TableLimits.TooManyColumns(null)
                : new TableFormatException($"Line {line} has more than {TableLimits.MaxColumns:N0} fields; the header has {Columns.Count}.", line);
        }

        if (_fieldCount == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }

        _fields[_fieldCount++] = value;
    }
}
