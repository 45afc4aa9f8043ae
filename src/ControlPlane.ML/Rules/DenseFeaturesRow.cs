using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML.Rules;

/// <summary>
/// A featurized row whose feature vector is handed on dense. A tree ensemble looks up one feature per split; on a sparse
/// vector (one-hot categories make it sparse) each lookup is a binary search, on a dense one an array index — the same
/// values, so the same leaves and the same scores, several times faster. Used between the fitted rules and a tree
/// model in real-time scoring; every other column is passed through as it is.
/// </summary>
internal sealed class DenseFeaturesRow : DataViewRow
{
    private readonly DataViewRow _inner;
    private readonly int _features;
    private readonly ValueGetter<VBuffer<float>> _sparse;
    private VBuffer<float> _read;
    private float[] _dense = [];
    private long _densePosition = -1;

    public DenseFeaturesRow(DataViewRow inner, string featuresColumn)
    {
        _inner = inner;
        var column = inner.Schema[featuresColumn];
        _features = column.Index;
        _sparse = inner.GetGetter<VBuffer<float>>(column);
    }

    public override DataViewSchema Schema => _inner.Schema;
    public override long Position => _inner.Position;
    public override long Batch => _inner.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();
    public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index != _features)
        {
            return _inner.GetGetter<TValue>(column);
        }

        ValueGetter<VBuffer<float>> dense = (ref VBuffer<float> value) =>
        {
            if (_densePosition != _inner.Position)
            {
                _sparse(ref _read);
                if (_dense.Length != _read.Length) _dense = new float[_read.Length];
                _read.CopyTo(_dense); // zeros where the sparse vector has no value
                _densePosition = _inner.Position;
            }

            var editor = VBufferEditor.Create(ref value, _dense.Length);
            _dense.AsSpan().CopyTo(editor.Values);
            value = editor.Commit();
        };
        return (ValueGetter<TValue>)(Delegate)dense;
    }
}
