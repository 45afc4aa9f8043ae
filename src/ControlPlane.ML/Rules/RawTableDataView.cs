using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules;

/// <summary>
/// A <see cref="RawTable"/> as an ML.NET <see cref="IDataView"/>, read straight from its arrays. This is the one place
/// raw values become ML.NET values, for training and for real-time prediction alike: numbers and booleans become
/// <see cref="float"/> (missing = NaN, booleans 1/0), date-times <see cref="double"/> Unix seconds (missing = NaN; a
/// float would lose minutes), categories and text <see cref="ReadOnlyMemory{T}"/> of char (missing = empty). Column
/// names are the raw headers unchanged, spaces and case included. Number columns named as identifiers (the entity
/// key) are read as exact invariant text instead, since a float keeps only 7 digits of an id.
/// </summary>
public sealed class RawTableDataView : IDataView
{
    private readonly RawTable _table;

    public RawTableDataView(RawTable table, IReadOnlyCollection<string>? identifierColumns = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        Schema = SchemaFor(table.Schema, identifierColumns);
    }

    public RawTable Table => _table;

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>The ML.NET schema a table with these raw columns has; a saved model is loaded against it.</summary>
    public static DataViewSchema SchemaFor(IReadOnlyList<RawColumn> columns, IReadOnlyCollection<string>? identifierColumns = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
        {
            var asText = column.Type == FeatureType.Number && identifierColumns?.Contains(column.Name) == true;
            builder.AddColumn(column.Name, asText ? TextDataViewType.Instance : TypeOf(column.Type));
        }

        return builder.ToSchema();
    }

    /// <summary>Whether a table's columns can be read with <paramref name="schema"/>: same names, in order, of fitting types.</summary>
    public static bool Fits(RawTable table, DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(schema);
        var columns = table.Columns;
        if (columns.Count != schema.Count)
        {
            return false;
        }

        // A loop, not LINQ: real-time scoring checks every row it maps.
        for (var i = 0; i < columns.Count; i++)
        {
            var (column, expected) = (columns[i], schema[i]);
            if (column.Name != expected.Name
                || !(TypeOf(column.Type).Equals(expected.Type) || column.Type == FeatureType.Number && expected.Type is TextDataViewType))
            {
                return false;
            }
        }

        return true;
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

    /// <summary>
    /// The getter of one raw column at the current row, converting as documented above. <paramref name="table"/> and
    /// <paramref name="row"/> are read on every call, so a row mapper can reuse one getter for row after row.
    /// </summary>
    internal static ValueGetter<TValue> Getter<TValue>(Func<RawTable> table, DataViewSchema.Column column, Func<long> row)
    {
        var index = column.Index;
        Delegate getter = column.Type switch
        {
            NumberDataViewType t when t == NumberDataViewType.Single => (ValueGetter<float>)((ref float v) =>
                v = table().Columns[index].Values switch
                {
                    double?[] numbers => numbers[row()] is { } d ? (float)d : float.NaN,
                    bool?[] flags => flags[row()] is { } b ? (b ? 1f : 0f) : float.NaN,
                    _ => throw new InvalidOperationException($"Column '{column.Name}' does not hold numbers or booleans."),
                }),
            NumberDataViewType => (ValueGetter<double>)((ref double v) =>
                v = ((DateTime?[])table().Columns[index].Values)[row()] is { } t ? UnixSeconds(t) : double.NaN),
            TextDataViewType => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) =>
                v = table().Columns[index].Values switch
                {
                    string?[] texts => (texts[row()] ?? "").AsMemory(),
                    double?[] ids => (ids[row()]?.ToString("R", CultureInfo.InvariantCulture) ?? "").AsMemory(),
                    _ => throw new InvalidOperationException($"Column '{column.Name}' cannot be read as text."),
                }),
            _ => throw new InvalidOperationException($"Column '{column.Name}' has the unsupported type {column.Type}."),
        };
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
    }

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

            return Getter<TValue>(() => _view._table, column, () => _position);
        }
    }
}
