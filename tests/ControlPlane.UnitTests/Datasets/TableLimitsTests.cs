using System.Text;
using ControlPlane.Core.Datasets.Tabular;
using Parquet;
using Parquet.Schema;
using static ControlPlane.UnitTests.Datasets.TabularTestData;

namespace ControlPlane.UnitTests.Datasets;

/// <summary>Issue 16, point 1: every table reader refuses a shape it cannot afford before it reads the rows.</summary>
public sealed class TableLimitsTests
{
    private static string Header(int columns) => string.Join(',', Enumerable.Range(1, columns).Select(i => $"c{i}"));

    [Fact]
    public async Task A_csv_of_one_row_and_100000_columns_is_refused_naming_the_limit()
    {
        var csv = Header(100_000) + "\n" + string.Join(',', Enumerable.Repeat("1", 100_000)) + "\n";

        var error = await FailureAsync(Utf8(csv));

        Assert.Equal("The table has more than 1,000 columns; at most 1,000 are accepted. Drop the columns no feature uses before uploading.", error.Message);
    }

    [Fact]
    public async Task A_csv_of_exactly_the_column_limit_reads()
    {
        var csv = Header(TableLimits.MaxColumns) + "\n" + string.Join(',', Enumerable.Repeat("1", TableLimits.MaxColumns)) + "\n";

        var (columns, rows) = await ReadAllAsync(Utf8(csv));

        Assert.Equal(TableLimits.MaxColumns, columns.Count);
        Assert.Single(rows);
    }

    [Fact]
    public async Task A_header_line_longer_than_the_limit_is_refused_before_the_rest_is_read()
    {
        // One name of 300,000 characters and no line end: the reader must not wait for the 32 MB record limit.
        var csv = new string('h', 300_000) + ",b";

        var error = await FailureAsync(Utf8(csv));

        Assert.Equal("Line 1: the header is longer than 262,144 characters; column names must fit in that (at most 1,000 columns).", error.Message);
    }

    [Fact]
    public async Task A_column_name_over_256_characters_is_refused()
    {
        var csv = "id," + new string('n', 300) + "\n1,2\n";

        var error = await FailureAsync(Utf8(csv));

        Assert.StartsWith("The name of column 2 ('nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...') has 300 characters; at most 256 are accepted.", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cell_over_the_field_limit_is_refused_naming_its_line_and_column(bool quoted)
    {
        var big = new string('x', TableLimits.MaxFieldChars + 1);
        var csv = $"id,notes\n1,short\n2,{(quoted ? $"\"{big}\"" : big)}\n";

        var error = await FailureAsync(Utf8(csv));

        Assert.Equal("Line 3: the value of column 'notes' has 1,048,577 characters; at most 1,048,576 are accepted in one cell.", error.Message);
        Assert.Equal(3, error.Line);
        Assert.Equal("notes", error.Column);
    }

    [Fact]
    public async Task A_data_row_of_a_million_empty_fields_stops_at_the_column_limit()
    {
        var csv = "a,b\n1,2\n" + new string(',', 1_000_000) + "\n";

        var error = await FailureAsync(Utf8(csv));

        Assert.Equal("Line 3 has more than 1,000 fields; the header has 2.", error.Message);
    }

    [Fact]
    public async Task A_parquet_file_of_more_than_the_column_limit_is_refused()
    {
        var fields = Enumerable.Range(1, TableLimits.MaxColumns + 1).Select(i => (Field)new DataField<int>($"c{i}")).ToArray();
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file))
        {
            using var rowGroup = writer.CreateRowGroup();
            foreach (DataField field in fields)
            {
                await rowGroup.WriteAsync<int>(field, new[] { 1 });
            }
        }

        var e = await Assert.ThrowsAsync<TableFormatException>(() => ParquetTestFiles.ReadAllAsync(file));

        Assert.Equal("The table has 1,001 columns; at most 1,000 are accepted. Drop the columns no feature uses before uploading.", e.Message);
    }

    [Fact]
    public async Task A_parquet_footer_over_the_limit_is_refused_before_the_library_parses_it()
    {
        // A valid leading magic, then a footer length of 1 GB in the last eight bytes.
        var bytes = "PAR1"u8.ToArray().Concat(new byte[64]).Concat(BitConverter.GetBytes(1_000_000_000)).Concat("PAR1"u8.ToArray()).ToArray();

        var e = await Assert.ThrowsAsync<TableFormatException>(() => ParquetTableReader.OpenAsync(new MemoryStream(bytes), CancellationToken.None));

        Assert.StartsWith("The Parquet file's footer (its schema and index) has 1,000,000,000 bytes; at most 16,777,216 are accepted.", e.Message);
    }

    [Fact]
    public async Task A_parquet_string_over_the_field_limit_is_refused_naming_its_row_and_column()
    {
        var id = new DataField<int>("id");
        var notes = new DataField<string>("notes", nullable: true);
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, notes), file))
        {
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync<int>(id, new[] { 1, 2 });
            await rowGroup.WriteAsync(notes, new[] { "fine", new string('y', TableLimits.MaxFieldChars + 5) }!, null);
        }

        var e = await Assert.ThrowsAsync<TableFormatException>(() => ParquetTestFiles.ReadAllAsync(file));

        Assert.Equal("Row 2: the value of column 'notes' has 1,048,581 characters; at most 1,048,576 are accepted in one cell.", e.Message);
    }
}
