using ControlPlane.ML.Rules;

namespace ControlPlane.ML.Training;

/// <summary>Row selection and concatenation of raw tables, keeping every column's name and type.</summary>
public static class RawTableRows
{
    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public static RawTable Select(RawTable table, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        return new RawTable(table.Columns.Select(c => Column(c.Name, c.Type, c.Values, rows)).ToArray());
    }

    /// <summary>The tables one after the other; all must have the same columns (names and types, in order).</summary>
    public static RawTable Concat(IReadOnlyList<RawTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.Count == 0)
        {
            throw new ArgumentException("There are no tables to concatenate.", nameof(tables));
        }

        var schema = tables[0].Schema;
        if (tables.FirstOrDefault(t => !t.Schema.SequenceEqual(schema)) is not null)
        {
            throw new ArgumentException("The tables have different columns.", nameof(tables));
        }

        var columns = new List<RawTableColumn>();
        for (var c = 0; c < schema.Count; c++)
        {
            var total = tables.Sum(t => t.RowCount);
            var values = Array.CreateInstance(tables[0].Columns[c].Values.GetType().GetElementType()!, total);
            var at = 0;
            foreach (var table in tables)
            {
                Array.Copy(table.Columns[c].Values, 0, values, at, table.RowCount);
                at += table.RowCount;
            }

            columns.Add(Column(schema[c].Name, schema[c].Type, values, null));
        }

        return new RawTable(columns);
    }

    private static RawTableColumn Column(string name, FeatureType type, Array values, IReadOnlyList<int>? rows) => values switch
    {
        double?[] v => RawTableColumn.Numbers(name, Pick(v, rows)),
        bool?[] v => RawTableColumn.Booleans(name, Pick(v, rows)),
        DateTime?[] v => RawTableColumn.DateTimes(name, Pick(v, rows)),
        string?[] v => RawTableColumn.Strings(name, type, Pick(v, rows)),
        _ => throw new ArgumentException($"Column '{name}' holds {values.GetType().Name}.", nameof(values)),
    };

    private static T[] Pick<T>(T[] values, IReadOnlyList<int>? rows) => rows is null ? values : rows.Select(r => values[r]).ToArray();
}
