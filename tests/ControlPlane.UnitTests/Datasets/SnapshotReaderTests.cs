using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.Storage;
using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Datasets;

public sealed class SnapshotReaderTests : IDisposable
{
    private static readonly (string, FeatureType)[] FiveTypes =
    [
        ("amount", FeatureType.Number), ("colour", FeatureType.Category), ("note", FeatureType.Text),
        ("active", FeatureType.Boolean), ("seen", FeatureType.DateTime),
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("cp-snapshot-").FullName;
    private readonly LocalFolderArtifactStore _store;

    public SnapshotReaderTests() => _store = new LocalFolderArtifactStore("eu", _root);

    [Fact]
    public async Task Reads_every_column_typed_with_misfits_and_blanks_as_missing()
    {
        string?[][] rows =
        [
            ["1.5", "red", "hello, world", "yes", "2024-03-01T12:34:56Z"],
            [null, null, null, null, null],
            ["abc", "blue", "", "maybe", "yesterday"],
            ["-2e3", "red", "x", "0", "2024-03-01T10:00:00+02:00"],
        ];
        await WriteAsync("s.parquet", FiveTypes, rows, rowGroupSize: 50_000);

        var table = await SnapshotReader.ReadAsync(_store, "s.parquet", maxRows: null);

        Assert.Equal(4, table.RowCount);
        Assert.Equal(
            [new RawColumn("amount", FeatureType.Number), new RawColumn("colour", FeatureType.Category), new RawColumn("note", FeatureType.Text),
             new RawColumn("active", FeatureType.Boolean), new RawColumn("seen", FeatureType.DateTime)],
            table.Schema);
        Assert.Equal(new double?[] { 1.5, null, null, -2000 }, table.Columns[0].Values);
        Assert.Equal(new[] { "red", null, "blue", "red" }, table.Columns[1].Values);
        Assert.Equal(new[] { "hello, world", null, "", "x" }, table.Columns[2].Values);
        Assert.Equal(new bool?[] { true, null, null, false }, table.Columns[3].Values);
        var seen = (DateTime?[])table.Columns[4].Values;
        Assert.Equal(new DateTime(2024, 3, 1, 12, 34, 56, DateTimeKind.Utc), seen[0]);
        Assert.Equal(DateTimeKind.Utc, seen[0]!.Value.Kind);
        Assert.Null(seen[1]);
        Assert.Null(seen[2]);
        Assert.Equal(new DateTime(2024, 3, 1, 8, 0, 0, DateTimeKind.Utc), seen[3]);
    }

    [Theory]
    [InlineData(null, 25)]
    [InlineData(0, 0)]
    [InlineData(7, 7)]
    [InlineData(10, 10)]
    [InlineData(13, 13)]
    [InlineData(1000, 25)]
    public async Task Reads_the_first_rows_across_row_groups(int? maxRows, int expected)
    {
        var rows = Enumerable.Range(0, 25).Select(i => new string?[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"c{i}" }).ToArray();
        await WriteAsync("g.parquet", [("n", FeatureType.Number), ("c", FeatureType.Category)], rows, rowGroupSize: 10);

        var table = await SnapshotReader.ReadAsync(_store, "g.parquet", maxRows);

        Assert.Equal(expected, table.RowCount);
        Assert.Equal(Enumerable.Range(0, expected).Select(i => (double?)i), (double?[])table.Columns[0].Values);
        Assert.Equal(Enumerable.Range(0, expected).Select(i => $"c{i}"), (string?[])table.Columns[1].Values);
    }

    [Fact]
    public async Task Every_boolean_spelling_the_profiler_accepts_is_kept_in_the_snapshot()
    {
        string?[][] rows = [["Y"], ["n"], ["yes"], ["No"], ["TRUE"], ["false"], ["1"], ["0"], ["maybe"]];
        var yesNo = await ColumnProfiler.ProfileAsync(new ListTableReader(["flag"], [["Y"], ["N"], ["y"], ["n"]]));
        Assert.Equal(FeatureType.Boolean, yesNo["flag"].Type);
        await WriteAsync("b.parquet", [("flag", FeatureType.Boolean)], rows, rowGroupSize: 100);

        var table = await SnapshotReader.ReadAsync(_store, "b.parquet", maxRows: null);

        Assert.Equal(new bool?[] { true, false, true, false, true, false, true, false, null }, table.Columns[0].Values);
    }

    [Fact]
    public async Task Every_date_time_spelling_the_profiler_accepts_is_kept_in_the_snapshot()
    {
        string?[][] rows = [["2026-03-01 14:05"], ["2026-03-01 14:05:09"], ["2026-03-01T14:05Z"], ["2026-03-01"], ["2026-03-01T16:05:09+02:00"]];
        var profile = await ColumnProfiler.ProfileAsync(new ListTableReader(["at"], rows));
        Assert.Equal((FeatureType.DateTime, 0L), (profile["at"].Type, profile["at"].Misfits));
        await WriteAsync("d.parquet", [("at", FeatureType.DateTime)], rows, rowGroupSize: 100);

        var table = await SnapshotReader.ReadAsync(_store, "d.parquet", maxRows: null);

        DateTime?[] expected =
        [
            new DateTime(2026, 3, 1, 14, 5, 0, DateTimeKind.Utc), new DateTime(2026, 3, 1, 14, 5, 9, DateTimeKind.Utc),
            new DateTime(2026, 3, 1, 14, 5, 0, DateTimeKind.Utc), new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(2026, 3, 1, 14, 5, 9, DateTimeKind.Utc),
        ];
        Assert.Equal(expected, table.Columns[0].Values);
    }

    [Fact]
    public async Task Only_the_asked_columns_are_read()
    {
        await WriteAsync("c.parquet", FiveTypes, [["1", "red", "x", "yes", "2024-01-01"]], rowGroupSize: 10);

        var table = await SnapshotReader.ReadAsync(_store, "c.parquet", ["seen", "amount", "absent"], maxRows: null);

        Assert.Equal(["amount", "seen"], table.Columns.Select(c => c.Name));
    }

    [Fact]
    public async Task An_empty_snapshot_reads_as_columns_without_rows()
    {
        await WriteAsync("e.parquet", FiveTypes, [], rowGroupSize: 10);

        var table = await SnapshotReader.ReadAsync(_store, "e.parquet", maxRows: null);

        Assert.Equal(0, table.RowCount);
        Assert.Equal(5, table.Columns.Count);
    }

    [Fact]
    public async Task A_missing_snapshot_is_reported_by_path()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => SnapshotReader.ReadAsync(_store, "nope.parquet", 10));

        Assert.Contains("nope.parquet", error.Message);
    }

    private async Task WriteAsync(string path, (string, FeatureType)[] schema, string?[][] rows, int rowGroupSize)
    {
        using var file = new MemoryStream();
        await ParquetSnapshotWriter.WriteAsync(file, schema, new ListTableReader(schema.Select(c => c.Item1).ToArray(), rows), rowGroupSize);
        file.Position = 0;
        await _store.WriteAsync(path, file);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
