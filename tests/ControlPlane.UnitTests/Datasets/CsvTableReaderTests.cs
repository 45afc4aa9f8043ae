using ControlPlane.Core.Datasets.Tabular;
using static ControlPlane.UnitTests.Datasets.TabularTestData;

namespace ControlPlane.UnitTests.Datasets;

public sealed class CsvTableReaderTests
{
    public static TheoryData<string, string> Demos => UseCasesAndTenants();

    [Theory]
    [MemberData(nameof(Demos))]
    public async Task Demo_uploads_read_back_cell_for_cell(string useCase, string tenant)
    {
        var dataset = Demo(useCase, tenant);

        var (columns, rows) = await ReadAllAsync(Csv(dataset));

        Assert.Equal(dataset.Header, columns);
        Assert.Equal(dataset.RowCount, rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            Assert.Equal(dataset.Rows[r].Select(v => string.IsNullOrEmpty(v) ? null : v), rows[r]);
        }

        Assert.Contains(rows, r => r.Contains(null)); // missing values came through as nulls
    }

    [Fact]
    public async Task Ticket_bodies_with_quotes_commas_and_line_breaks_survive()
    {
        var dataset = Demo("ticket-routing", "acme");
        var body = dataset.IndexOf("body");

        var (_, rows) = await ReadAllAsync(Csv(dataset));

        var bodies = rows.Select(r => r[body]).OfType<string>().ToList();
        Assert.Contains(bodies, b => b.Contains('\n', StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains('"', StringComparison.Ordinal));
        Assert.Equal(dataset.Rows.Select(r => r[body]).Where(b => !string.IsNullOrEmpty(b)), bodies);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(333)]
    [InlineData(100_000)]
    public async Task Batch_size_does_not_change_the_rows(int batchSize)
    {
        var bytes = Csv(Demo("ticket-routing", "initech", rows: 1200));

        var expected = (await ReadAllAsync(bytes)).Rows;
        var actual = (await ReadAllAsync(bytes, batchSize)).Rows;

        Assert.Equal(expected.Count, actual.Count);
        Assert.True(expected.Zip(actual).All(p => p.First.SequenceEqual(p.Second)));
    }

    [Theory]
    [InlineData("a;b;c\n1;2,5;x\n", ';', "2,5")]
    [InlineData("a\tb\tc\n1\t2,5\tx\n", '\t', "2,5")]
    [InlineData("a,b,c\n1,\"2;5\",x\n", ',', "2;5")]
    [InlineData("a,b;c,d\n1,2;5,x\n", ',', "2;5")]
    public async Task Delimiter_comes_from_the_header(string csv, char delimiter, string middle)
    {
        await using var reader = await CsvTableReader.OpenAsync(new MemoryStream(Utf8(csv)), CancellationToken.None);
        var batch = new RowBatch();

        Assert.Equal(1, await reader.ReadBatchAsync(batch));
        Assert.Equal(delimiter, reader.Delimiter);
        Assert.Equal(3, reader.Columns.Count);
        Assert.Equal(middle, batch.Rows[0][1]);
    }

    [Fact]
    public async Task Handles_bom_crlf_escapes_embedded_newlines_blank_lines_and_no_final_newline()
    {
        var csv = "id,note,flag\r\n1,\"say \"\"hi\"\"\r\nsecond line\",yes\r\n\r\n2,,\"\"\r\n3,\"a,b\",no";
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Utf8(csv)];

        var (columns, rows) = await ReadAllAsync(bytes);

        Assert.Equal(["id", "note", "flag"], columns);
        Assert.Equal(3, rows.Count);
        Assert.Equal(new string?[] { "1", "say \"hi\"\r\nsecond line", "yes" }, rows[0]);
        Assert.Equal(new string?[] { "2", null, null }, rows[1]);
        Assert.Equal(new string?[] { "3", "a,b", "no" }, rows[2]);
    }

    [Fact]
    public async Task A_field_larger_than_the_read_window_is_read_whole()
    {
        var big = new string('x', 300_000) + "\n" + new string('y', 100_000);
        var csv = $"a,b\n1,\"{big}\"\n2,z\n";

        var (_, rows) = await ReadAllAsync(Utf8(csv));

        Assert.Equal(2, rows.Count);
        Assert.Equal(big, rows[0][1]);
        Assert.Equal("z", rows[1][1]);
    }

    [Fact]
    public async Task Multibyte_characters_split_across_reads_decode_intact()
    {
        var text = string.Concat(Enumerable.Repeat("€uro ünïcödé 日本 ", 20_000));
        var (_, rows) = await ReadAllAsync(Utf8($"t\n{text}\n"));

        Assert.Equal(text, Assert.Single(rows)[0]);
    }
}
