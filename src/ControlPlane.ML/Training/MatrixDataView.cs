using ControlPlane.ML.Rules;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Training;

/// <summary>
/// Rows of a <see cref="FeatureMatrix"/> as an ML.NET view (<c>Features</c>, a vector of the matrix's width, and
/// <c>Label</c>: boolean, class key 1..K, or number), read straight from the arrays. ML.NET's
/// <c>LoadFromEnumerable</c> would do the same through getters it emits at run time for every view, and the search and
/// permutation importance build hundreds of views per training: their dynamic methods cost more to finalize than the
/// reading itself.
/// </summary>
internal sealed class MatrixDataView : IDataView
{
    private readonly IReadOnlyList<VBuffer<float>> _features;
    private readonly float[] _labels;
    private readonly IReadOnlyList<int> _rows;
    private readonly TaskType _task;

    /// <param name="features">One vector per entry of <paramref name="rows"/>.</param>
    /// <param name="rows">The matrix rows whose labels go with <paramref name="features"/>.</param>
    public MatrixDataView(FeatureMatrix matrix, IReadOnlyList<int> rows, IReadOnlyList<VBuffer<float>> features)
    {
        if (features.Count != rows.Count)
        {
            throw new ArgumentException($"{features.Count} feature vectors for {rows.Count} rows.", nameof(features));
        }

        _features = features;
        _labels = matrix.Labels;
        _rows = rows;
        _task = matrix.Task;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(RuleCompiler.FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, matrix.Width));
        builder.AddColumn(RuleCompiler.LabelColumn, matrix.Task switch
        {
            TaskType.Binary => BooleanDataViewType.Instance,
            TaskType.Multiclass => new KeyDataViewType(typeof(uint), matrix.ClassCount),
            _ => NumberDataViewType.Single,
        });
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(MatrixDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= view._rows.Count)
            {
                _position = view._rows.Count;
                return false;
            }

            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => view._features[(int)_position].CopyTo(ref value)),
                _ => view._task switch
                {
                    TaskType.Binary => (ValueGetter<bool>)((ref bool value) => value = Label() > 0.5f),
                    TaskType.Multiclass => (ValueGetter<uint>)((ref uint value) => value = (uint)Label()),
                    _ => (ValueGetter<float>)((ref float value) => value = Label()),
                },
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }

        private float Label() => view._labels[view._rows[(int)_position]];
    }
}
