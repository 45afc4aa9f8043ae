using ControlPlane.ML;
using ControlPlane.ML.Rules;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>Collects one snapshot column's values over the row groups read, then hands them over as a <see cref="RawTableColumn"/>.</summary>
internal abstract class SnapshotColumnReader
{
    /// <summary>Reads the row group's <paramref name="rows"/> values and keeps the first <paramref name="take"/>.</summary>
    public abstract Task LoadAsync(ParquetRowGroupReader rowGroup, int rows, int take, CancellationToken ct);

    public abstract RawTableColumn ToColumn();

    /// <param name="recorded">The schema type the writer recorded, or default when the snapshot has none.</param>
    public static SnapshotColumnReader For(DataField field, FeatureType? recorded)
    {
        var type = field.ClrType;
        if (type == typeof(double)) return new Structs<double>(field, v => RawTableColumn.Numbers(field.Name, v));
        if (type == typeof(bool)) return new Structs<bool>(field, v => RawTableColumn.Booleans(field.Name, v));
        if (type == typeof(DateTime))
            return new Structs<DateTime>(field, v => RawTableColumn.DateTimes(field.Name, AsUtc(v)));
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
            return new Strings(field, recorded == FeatureType.Text ? FeatureType.Text : FeatureType.Category);
        throw new TableFormatException($"Snapshot column '{field.Name}' has type {type.Name}, which a snapshot never holds.", column: field.Name);
    }

    // The snapshot stores instants adjusted to UTC; the library may hand them back unspecified.
    private static DateTime?[] AsUtc(DateTime?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            if (values[i] is { Kind: not DateTimeKind.Utc } v) values[i] = DateTime.SpecifyKind(v, DateTimeKind.Utc);
        return values;
    }

    private sealed class Structs<T>(DataField field, Func<T?[], RawTableColumn> make) : SnapshotColumnReader where T : struct
    {
        private readonly List<T?> _values = [];
        private T?[] _buffer = [];

        public override async Task LoadAsync(ParquetRowGroupReader rowGroup, int rows, int take, CancellationToken ct)
        {
            if (_buffer.Length < rows) _buffer = new T?[rows];
            await rowGroup.ReadAsync<T>(field, _buffer.AsMemory(0, rows), null, ct);
            _values.AddRange(_buffer.AsSpan(0, take));
        }

        public override RawTableColumn ToColumn() => make([.. _values]);
    }

    private sealed class Strings(DataField field, FeatureType type) : SnapshotColumnReader
    {
        private readonly List<string?> _values = [];
        private string?[] _buffer = [];

        public override async Task LoadAsync(ParquetRowGroupReader rowGroup, int rows, int take, CancellationToken ct)
        {
            if (_buffer.Length < rows) _buffer = new string?[rows];
            await rowGroup.ReadAsync(field, _buffer.AsMemory(0, rows), null, ct);
            _values.AddRange(_buffer.AsSpan(0, take));
        }

        public override RawTableColumn ToColumn() => RawTableColumn.Strings(field.Name, type, [.. _values]);
    }
}
