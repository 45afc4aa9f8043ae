using ControlPlane.ML;
using ControlPlane.Core.UseCases;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>One typed column of the row group being built; the buffer is reused for every row group.</summary>
internal abstract class SnapshotColumn(int rowGroupSize)
{
    protected int RowGroupSize { get; } = rowGroupSize;

    public long Misfits { get; protected set; }

    public abstract DataField Field { get; }

    /// <summary>Stores the cell at <paramref name="row"/>; blank is missing, not a misfit.</summary>
    public abstract void Set(int row, string? text);

    public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, int rows, CancellationToken ct);

    public static SnapshotColumn For(string name, FeatureType type, int rowGroupSize) => type switch
    {
        FeatureType.Number => new Typed<double>(new DataField<double?>(name), SnapshotValues.TryNumber, rowGroupSize),
        FeatureType.Boolean => new Typed<bool>(new DataField<bool?>(name), SnapshotValues.TryBoolean, rowGroupSize),
        // Microseconds, flagged as UTC: the unit pandas, Spark and DuckDB all read; the 100 ns tick is truncated.
        FeatureType.DateTime => new Typed<DateTime>(
            new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
            SnapshotValues.TryInstant, rowGroupSize),
        FeatureType.Category or FeatureType.Text => new Strings(new DataField<string>(name, nullable: true), rowGroupSize),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, $"No snapshot type for column '{name}'."),
    };

    private delegate bool TryParse<T>(string text, out T value);

    private sealed class Typed<T>(DataField dataField, TryParse<T> parse, int rowGroupSize) : SnapshotColumn(rowGroupSize) where T : struct
    {
        private readonly T?[] _values = new T?[rowGroupSize];

        public override DataField Field => dataField;

        public override void Set(int row, string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) _values[row] = null;
            else if (parse(text, out var value)) _values[row] = value;
            else
            {
                _values[row] = null;
                Misfits++;
            }
        }

        public override Task WriteAsync(ParquetRowGroupWriter rowGroup, int rows, CancellationToken ct) =>
            rowGroup.WriteAsync<T>(dataField, _values.AsMemory(0, rows), null, null, ct);
    }

    private sealed class Strings(DataField dataField, int rowGroupSize) : SnapshotColumn(rowGroupSize)
    {
        private readonly string?[] _values = new string?[rowGroupSize];

        public override DataField Field => dataField;

        // Text is kept as given, even blank: for a string column a blank may be a real value.
        public override void Set(int row, string? text) => _values[row] = text;

        public override Task WriteAsync(ParquetRowGroupWriter rowGroup, int rows, CancellationToken ct) =>
            rowGroup.WriteAsync(dataField, new ArraySegment<string?>(_values, 0, rows)!, null);
    }
}
