using ControlPlane.ML;
using ControlPlane.Core.UseCases;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Writes a dataset version's immutable snapshot: the schema's columns, typed (Number → double, Boolean → bool,
/// DateTime → UTC timestamp in microseconds, Category/Text → string, all nullable), Snappy-compressed (the
/// library default, stated here so a library upgrade cannot change it silently), with the schema's types in the file's
/// metadata (see <see cref="SnapshotTypes"/>). Rows stream from the source
/// and only one row group is buffered at a time.
/// </summary>
public static class ParquetSnapshotWriter
{
    public const int DefaultRowGroupSize = 50_000;

    public static Task<SnapshotResult> WriteAsync(
        Stream output, IReadOnlyList<(string Name, FeatureType Type)> schema, ITableReader source, CancellationToken ct = default) =>
        WriteAsync(output, schema, source, DefaultRowGroupSize, ct);

    /// <param name="output">Writable and seekable; left open.</param>
    /// <param name="schema">The columns to keep, in snapshot order; each must be one of the source's columns.</param>
    public static async Task<SnapshotResult> WriteAsync(
        Stream output, IReadOnlyList<(string Name, FeatureType Type)> schema, ITableReader source, int rowGroupSize, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        if (schema.Count == 0) throw new ArgumentException("A snapshot needs at least one column.", nameof(schema));

        var sourceIndex = SourceIndexes(schema, source.Columns);
        var columns = schema.Select(c => SnapshotColumn.For(c.Name, c.Type, rowGroupSize)).ToArray();
        var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };

        await using var writer = await ParquetWriter.CreateAsync(
            new ParquetSchema(columns.Select(c => (Field)c.Field)), output, options, cancellationToken: ct);
        writer.CustomMetadata = SnapshotTypes.Metadata(schema);

        var batch = new RowBatch();
        long rows = 0;
        var rowGroups = 0;
        var buffered = 0;
        while (await source.ReadBatchAsync(batch, ct) is var count and > 0)
        {
            for (var r = 0; r < count; r++)
            {
                var cells = batch.Rows[r];
                for (var c = 0; c < columns.Length; c++)
                {
                    var i = sourceIndex[c];
                    columns[c].Set(buffered, i < cells.Length ? cells[i] : null);
                }
                if (++buffered == rowGroupSize)
                {
                    await FlushAsync(writer, columns, buffered, ct);
                    rowGroups++;
                    rows += buffered;
                    buffered = 0;
                }
            }
        }
        // An empty table still gets one (empty) row group so readers see a well-formed file with its schema.
        if (buffered > 0 || rowGroups == 0)
        {
            await FlushAsync(writer, columns, buffered, ct);
            rowGroups++;
            rows += buffered;
        }

        var misfits = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var c = 0; c < columns.Length; c++) misfits[schema[c].Name] = columns[c].Misfits;
        return new SnapshotResult(rows, rowGroups, misfits);
    }

    private static async Task FlushAsync(ParquetWriter writer, SnapshotColumn[] columns, int rows, CancellationToken ct)
    {
        using var rowGroup = writer.CreateRowGroup();
        foreach (var column in columns) await column.WriteAsync(rowGroup, rows, ct);
        rowGroup.CompleteValidate();
    }

    private static int[] SourceIndexes(IReadOnlyList<(string Name, FeatureType Type)> schema, IReadOnlyList<string> sourceColumns)
    {
        var indexes = new int[schema.Count];
        for (var c = 0; c < schema.Count; c++)
        {
            indexes[c] = IndexOf(sourceColumns, schema[c].Name);
            if (indexes[c] < 0) throw new ArgumentException($"Column '{schema[c].Name}' is not in the source table.", nameof(schema));
        }
        return indexes;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }
}
