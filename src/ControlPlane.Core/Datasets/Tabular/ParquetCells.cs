using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// One column of the current row group, kept typed and formatted to text only when a batch asks for the row:
/// a row group of typed values is several times smaller than the same row group as strings.
/// </summary>
internal abstract class ParquetCells
{
    public abstract Task LoadAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken ct);

    public abstract string? this[int row] { get; }

    public static ParquetCells For(DataField field)
    {
        var type = field.ClrType;
        return type switch
        {
            // Parquet.Net 6 reports UTF-8 and binary columns as memory slices; they are read here through the
            // string and byte[] overloads.
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => new StringCells(field),
            _ when type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) => new BytesCells(field),
            _ when type == typeof(bool) => new StructCells<bool>(field, v => v ? "true" : "false"),
            _ when type == typeof(sbyte) => new StructCells<sbyte>(field, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when type == typeof(byte) => new StructCells<byte>(field, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when type == typeof(short) => new StructCells<short>(field, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when type == typeof(ushort) => new StructCells<ushort>(field, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when type == typeof(int) => new StructCells<int>(field, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when type == typeof(uint) => new StructCells<uint>(field, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when type == typeof(long) => new StructCells<long>(field, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when type == typeof(ulong) => new StructCells<ulong>(field, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when type == typeof(float) => new StructCells<float>(field, v => v.ToString("R", CultureInfo.InvariantCulture)),
            _ when type == typeof(double) => new StructCells<double>(field, v => v.ToString("R", CultureInfo.InvariantCulture)),
            // Decimal has no "R" format; its default invariant text is already exact.
            _ when type == typeof(decimal) => new StructCells<decimal>(field, v => v.ToString(CultureInfo.InvariantCulture)),
            _ when type == typeof(DateTime) => new StructCells<DateTime>(field, ParquetText.Instant),
            _ when type == typeof(DateOnly) => new StructCells<DateOnly>(field, v => ParquetText.Instant(v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))),
            _ when type == typeof(TimeOnly) => new StructCells<TimeOnly>(field, v => v.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture)),
            _ when type == typeof(TimeSpan) => new StructCells<TimeSpan>(field, v => v.ToString("c", CultureInfo.InvariantCulture)),
            _ when type == typeof(Guid) => new StructCells<Guid>(field, v => v.ToString("D")),
            _ => throw new TableFormatException($"Column '{field.Name}' has type {type.Name}, which is not supported.", column: field.Name),
        };
    }
}

internal sealed class StructCells<T>(DataField field, Func<T, string> format) : ParquetCells where T : struct
{
    private T?[] _values = [];

    public override async Task LoadAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken ct)
    {
        if (_values.Length < rows) _values = new T?[rows];
        await rowGroup.ReadAsync<T>(field, _values.AsMemory(0, rows), null, ct);
    }

    public override string? this[int row] => _values[row] is { } value ? format(value) : null;
}

internal sealed class StringCells(DataField field) : ParquetCells
{
    private string?[] _values = [];

    public override async Task LoadAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken ct)
    {
        if (_values.Length < rows) _values = new string?[rows];
        await rowGroup.ReadAsync(field, _values.AsMemory(0, rows), null, ct);
    }

    public override string? this[int row] => _values[row];
}

/// <summary>Binary without a UTF-8 annotation has no text form of its own; base64 keeps it lossless.</summary>
internal sealed class BytesCells(DataField field) : ParquetCells
{
    private byte[]?[] _values = [];

    public override async Task LoadAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken ct)
    {
        if (_values.Length < rows) _values = new byte[]?[rows];
        await rowGroup.ReadAsync(field, _values.AsMemory(0, rows), null, ct);
    }

    public override string? this[int row] => _values[row] is { } bytes ? Convert.ToBase64String(bytes) : null;
}
