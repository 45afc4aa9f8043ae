using Microsoft.ML;
using Microsoft.ML.Data;

namespace ControlPlane.ML;

/// <summary>
/// Reads an ML.NET view on the calling thread only. <see cref="IDataView.GetRowCursor"/> on a transformed view splits
/// the rows over background threads and merges them again whenever a transform computes something (ML.NET's
/// "consolidating cursor", sized by the processor count, at least two threads): on a node where every core already runs
/// a training, those threads only wait on each other and spin. Asking for a cursor set of one gives the plain
/// row-by-row cursor through the whole chain instead. Every read of a view in ControlPlane goes through here.
/// </summary>
public static class SerialReading
{
    /// <summary>A cursor over <paramref name="columns"/> that runs every transform on the caller's thread.</summary>
    public static DataViewRowCursor OpenSerialCursor(this IDataView view, IEnumerable<DataViewSchema.Column> columns)
    {
        ArgumentNullException.ThrowIfNull(view);
        var needed = columns.ToArray();
        var set = view.GetRowCursorSet(needed, 1);
        if (set.Length == 1)
        {
            return set[0];
        }

        // A view may hand back more cursors than asked for; then let it merge them itself.
        foreach (var cursor in set)
        {
            cursor.Dispose();
        }

        return view.GetRowCursor(needed);
    }

    /// <summary>Every value of one column, in row order, converted as it is read.</summary>
    /// <remarks>Convert text (<see cref="ReadOnlyMemory{T}"/>) to strings here: a transform may reuse its buffer for the next row.</remarks>
    public static TResult[] ReadColumn<TValue, TResult>(this IDataView view, DataViewSchema.Column column, Func<TValue, TResult> convert)
    {
        var values = new List<TResult>();
        using var cursor = view.OpenSerialCursor([column]);
        var get = cursor.GetGetter<TValue>(column);
        TValue value = default!;
        while (cursor.MoveNext())
        {
            get(ref value);
            values.Add(convert(value));
        }

        return values.ToArray();
    }

    /// <summary>Every value of a column of numbers or flags, in row order.</summary>
    public static T[] ReadColumn<T>(this IDataView view, string column) where T : unmanaged =>
        view.ReadColumn<T, T>(view.Schema[column], v => v);
}
