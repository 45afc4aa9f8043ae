using ControlPlane.ML;
using System.Globalization;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.UseCases;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.UnitTests.Datasets;

public class ParquetSnapshotWriterTests
{
    private static readonly (string, FeatureType)[] FiveTypes =
    [
        ("amount", FeatureType.Number), ("colour", FeatureType.Category), ("note", FeatureType.Text),
        ("active", FeatureType.Boolean), ("seen", FeatureType.DateTime),
    ];

    [Fact]
    public async Task Snapshot_of_all_five_types_reads_back_typed_with_misfits_stored_as_missing_and_counted()
    {
        string?[][] rows =
        [
            ["1.5", "red", "hello, world", "Yes", "2024-03-01T12:34:56.123456Z"],
            [null, null, null, null, null],
            ["abc", "blue", "", "maybe", "yesterday"],
            ["-2e3", "red", "x", "0", "2024-03-01 08:00:00"],
            [" 0.1 ", "green", "ü", "FALSE", "2024-03-01T10:00:00+02:00"],
            ["1E+300", "red", "y", "true", "2024-02-29"],
        ];
        // The source has an extra column the schema leaves out: only the schema's columns are kept.
        var source = new ListTableReader(["amount", "colour", "ignored", "note", "active", "seen"],
            rows.Select(r => new[] { r[0], r[1], "zzz", r[2], r[3], r[4] }).ToList());
        using var file = new MemoryStream();

        var result = await ParquetSnapshotWriter.WriteAsync(file, FiveTypes, source, CancellationToken.None);

        Assert.Equal(6, result.Rows);
        Assert.Equal(1, result.RowGroups);
        Assert.Equal(new Dictionary<string, long> { ["amount"] = 1, ["colour"] = 0, ["note"] = 0, ["active"] = 1, ["seen"] = 1 }, result.Misfits);

        string?[][] expected =
        [
            ["1.5", "red", "hello, world", "true", "2024-03-01T12:34:56.1234560Z"],
            [null, null, null, null, null],
            [null, "blue", "", null, null],
            ["-2000", "red", "x", "false", "2024-03-01T08:00:00.0000000Z"],
            ["0.1", "green", "ü", "false", "2024-03-01T08:00:00.0000000Z"],
            ["1E+300", "red", "y", "true", "2024-02-29T00:00:00.0000000Z"],
        ];
        var back = await ParquetTestFiles.ReadAllAsync(file);
        Assert.Equal(expected.Length, back.Count);
        for (var r = 0; r < expected.Length; r++)
        {
            Assert.Equal(expected[r], back[r]);
            // Typed comparisons, so the test holds if only the text form changed.
            if (expected[r][0] is { } n) Assert.Equal(double.Parse(n, CultureInfo.InvariantCulture), double.Parse(back[r][0]!, CultureInfo.InvariantCulture));
            if (expected[r][4] is { } d)
                Assert.Equal(DateTimeOffset.Parse(d, CultureInfo.InvariantCulture), DateTimeOffset.Parse(back[r][4]!, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Snapshot_columns_carry_the_parquet_types_of_the_schema()
    {
        using var file = new MemoryStream();
        await ParquetSnapshotWriter.WriteAsync(file, FiveTypes, new ListTableReader(FiveTypes.Select(c => c.Item1).ToList(), []), CancellationToken.None);

        file.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(file);
        var fields = reader.Schema.DataFields;
        // Parquet.Net 6 surfaces UTF-8 columns as ReadOnlyMemory<char>.
        Assert.Equal([typeof(double), typeof(ReadOnlyMemory<char>), typeof(ReadOnlyMemory<char>), typeof(bool), typeof(DateTime)], fields.Select(f => f.ClrType));
        Assert.All(fields, f => Assert.True(f.IsNullable));
        var seen = Assert.IsType<DateTimeDataField>(fields[4]);
        Assert.True(seen.IsAdjustedToUTC);
        Assert.Equal(CompressionMethod.Snappy, (CompressionMethod)reader.Metadata!.RowGroups[0].Columns[0].MetaData!.Codec);
    }

    [Fact]
    public async Task Rows_past_the_row_group_size_go_to_further_row_groups_and_read_back_in_order()
    {
        const int rows = 250_001;
        var source = new ListTableReader(["id", "label"], rows, i => [i.ToString(CultureInfo.InvariantCulture), $"r{i}"]);
        using var file = new MemoryStream();

        var result = await ParquetSnapshotWriter.WriteAsync(
            file, [("id", FeatureType.Number), ("label", FeatureType.Text)], source, rowGroupSize: 100_000, CancellationToken.None);

        Assert.Equal(rows, result.Rows);
        Assert.Equal(3, result.RowGroups);
        file.Position = 0;
        await using (var raw = await ParquetReader.CreateAsync(file, leaveStreamOpen: true))
        {
            Assert.Equal(3, raw.RowGroupCount);
            Assert.Equal([100_000L, 100_000L, 50_001L], raw.RowGroups.Select(g => g.RowCount));
        }

        // A batch size that does not divide the row group, so batches straddle row-group boundaries.
        var back = await ParquetTestFiles.ReadAllAsync(file, batchSize: 3_000);
        Assert.Equal(rows, back.Count);
        for (var i = 0; i < rows; i++)
        {
            if (back[i][0] != i.ToString(CultureInfo.InvariantCulture) || back[i][1] != $"r{i}")
                Assert.Fail($"Row {i} came back as [{back[i][0]}, {back[i][1]}].");
        }
    }

    [Fact]
    public async Task A_schema_column_missing_from_the_source_is_refused()
    {
        using var file = new MemoryStream();
        var source = new ListTableReader(["a"], [["1"]]);

        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            ParquetSnapshotWriter.WriteAsync(file, [("b", FeatureType.Number)], source, CancellationToken.None));
        Assert.Contains("'b'", e.Message);
    }
}
