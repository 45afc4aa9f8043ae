using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules;

/// <summary>
/// A <see cref="RawTable"/> as an ML.NET <see cref="IDataView"/>, read straight from its arrays. This is the one place
/// raw values become ML.NET values, for training and for real-time prediction alike: numbers and booleans become
/// <see cref="float"/> (missing = NaN, booleans 1/0), date-times <see cref="double"/> Unix seconds (missing = NaN; a
/// float would lose minutes), categories and text <see cref="ReadOnlyMemory{T}"/> of char (missing = empty). Column
/// names are the raw headers unchanged, spaces and case included.
/// </summary>
public sealed class RawTableDataView : IDataView
{
    private readonly RawTable _table;

    public RawTableDataView(RawTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        Schema = SchemaFor(table.Schema);
    }

    public RawTable Table => _table;

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>The ML.NET schema a table with these raw columns has; a saved model is loaded against it.</summary>
    public static DataViewSchema SchemaFor(IReadOnlyList<RawColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
        {
            builder.AddColumn(column.Name, TypeOf(column.Type));
        }

        return builder.ToSchema();
    }

    /// <summary>The ML.NET type a raw column of this feature type is read as.</summary>
    public static DataViewType TypeOf(FeatureType type) => type switch
    {
        FeatureType.Number or FeatureType.Boolean => NumberDataViewType.Single,
        FeatureType.DateTime => NumberDataViewType.Double,
        FeatureType.Category or FeatureType.Text => TextDataViewType.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown feature type."),
    };

    /// <summary>Seconds since 1970-01-01 UTC; a non-UTC value is converted to UTC first.</summary>
    public static double UnixSeconds(DateTime value) =>
        ((value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks - DateTime.UnixEpoch.Ticks)
        / (double)TimeSpan.TicksPerSecond;

    public long? GetRowCount() => _table.RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly RawTableDataView _view;
        private readonly bool[] _active;
        private long _position = -1;

        public Cursor(RawTableDataView view, IEnumerable<int> active)
        {
            _view = view;
            _active = new bool[view.Schema.Count];
            foreach (var index in active)
            {
                _active[index] = true;
            }
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= _view._table.RowCount)
            {
                _position = _view._table.RowCount;
                return false;
            }

            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested from the cursor.");
            }

            Delegate getter = _view._table.Columns[column.Index].Values switch
            {
                double?[] numbers => (ValueGetter<float>)((ref float v) =>
                    v = numbers[_position] is { } d ? (float)d : float.NaN),
                bool?[] flags => (ValueGetter<float>)((ref float v) =>
                    v = flags[_position] is { } b ? (b ? 1f : 0f) : float.NaN),
                DateTime?[] times => (ValueGetter<double>)((ref double v) =>
                    v = times[_position] is { } t ? UnixSeconds(t) : double.NaN),
                string?[] texts => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) =>
                    v = (texts[_position] ?? "").AsMemory()),
                _ => throw new InvalidOperationException($"Column '{column.Name}' holds unsupported values."),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }
    }
}
