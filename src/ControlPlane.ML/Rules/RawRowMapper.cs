using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules;

/// <summary>
/// Applies a fitted pipeline to one raw row at a time without rebuilding it: the pipeline is bound once to a row whose
/// values are swapped in on each call, so real-time featurization (or scoring, with a trainer appended) costs only
/// the transforms' own work. Values are converted exactly as <see cref="RawTableDataView"/> converts them. Not
/// thread-safe: keep one per thread or pool them, as with ML.NET's PredictionEngine.
/// </summary>
public sealed class RawRowMapper
{
    private readonly InputRow _input;
    private readonly DataViewRow _output;

    public RawRowMapper(ITransformer transformer, DataViewSchema inputSchema, IEnumerable<string> outputColumns)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(outputColumns);
        var mapper = transformer.GetRowToRowMapper(inputSchema);
        _input = new InputRow(inputSchema);
        _output = mapper.GetRow(_input, outputColumns.Select(name => mapper.OutputSchema[name]).ToArray());
    }

    /// <summary>
    /// The rules then a tree model, with the feature vector made dense between them (<see cref="DenseFeaturesRow"/>):
    /// the same outputs as mapping the two as one chain, without a binary search per split.
    /// </summary>
    public RawRowMapper(ITransformer rules, ITransformer treeModel, string featuresColumn, DataViewSchema inputSchema, IEnumerable<string> outputColumns)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(treeModel);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(outputColumns);
        var featurize = rules.GetRowToRowMapper(inputSchema);
        _input = new InputRow(inputSchema);
        var featurized = featurize.GetRow(_input, featurize.OutputSchema.ToArray());
        var score = treeModel.GetRowToRowMapper(featurize.OutputSchema);
        _output = score.GetRow(new DenseFeaturesRow(featurized, featuresColumn), outputColumns.Select(name => score.OutputSchema[name]).ToArray());
    }

    public DataViewSchema OutputSchema => _output.Schema;

    /// <summary>Moves to <paramref name="row"/> of <paramref name="table"/>; the returned row's getters then read its outputs.</summary>
    public DataViewRow Map(RawTable table, int row)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, table.RowCount);
        _input.MoveTo(table, row);
        return _output;
    }

    private sealed class InputRow(DataViewSchema schema) : DataViewRow
    {
        private RawTable? _table;
        private int _row;
        private long _position = -1;

        public override DataViewSchema Schema => schema;

        // Transforms cache per position, so every mapped row gets a new one.
        public override long Position => _position;

        public override long Batch => 0;

        public void MoveTo(RawTable table, int row)
        {
            if (!RawTableDataView.Fits(table, schema))
            {
                throw new ArgumentException("The row's columns are not the ones the pipeline was fitted on.", nameof(table));
            }

            _table = table;
            _row = row;
            _position++;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            RawTableDataView.Getter<TValue>(() => _table ?? throw new InvalidOperationException("Map a row first."), column, () => _row);
    }
}
