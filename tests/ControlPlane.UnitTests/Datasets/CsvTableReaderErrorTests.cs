using System.Text;
using static ControlPlane.UnitTests.Datasets.TabularTestData;

namespace ControlPlane.UnitTests.Datasets;

public sealed class CsvTableReaderErrorTests
{
    // Lines 2..n-1 are good rows; a quoted two-line cell on line 5 checks that line numbers count physical lines.
    private static string Lines(int badLine, string bad)
    {
        var sb = new StringBuilder("a,b,c,d,e,f,g\n");
        for (var line = 2; line < badLine; line++)
        {
            sb.Append(line == 5 ? "1,\"two\nlines\",3,4,5,6,7\n" : "1,2,3,4,5,6,7\n");
            if (line == 5)
            {
                line++;
            }
        }

        return sb.Append(bad).Append("\n1,2,3,4,5,6,7\n").ToString();
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF })]
    [InlineData(new byte[] { 0x0A, 0x0D, 0x0A })]
    public async Task Empty_file_says_so(byte[] bytes)
    {
        var error = await FailureAsync(bytes);

        Assert.Equal("The file is empty.", error.Message);
    }

    [Fact]
    public async Task Ragged_row_names_its_line_and_field_counts()
    {
        var error = await FailureAsync(Utf8(Lines(17, "1,2,3,4,5")));

        Assert.Equal("Line 17 has 5 fields; the header has 7.", error.Message);
        Assert.Equal(17, error.Line);
    }

    [Fact]
    public async Task Too_many_fields_is_ragged_too()
    {
        var error = await FailureAsync(Utf8(Lines(9, "1,2,3,4,5,6,7,8")));

        Assert.Equal("Line 9 has 8 fields; the header has 7.", error.Message);
    }

    [Fact]
    public async Task Unbalanced_quote_names_the_line_where_it_opens()
    {
        var error = await FailureAsync(Utf8(Lines(42, "1,2,\"never closed,4,5,6,7")));

        Assert.Equal("Line 42: a quoted field is never closed.", error.Message);
        Assert.Equal(42, error.Line);
    }

    [Fact]
    public async Task Text_after_a_closing_quote_is_an_error()
    {
        var error = await FailureAsync(Utf8(Lines(8, "1,\"x\"y,3,4,5,6,7")));

        Assert.StartsWith("Line 8: field 2 has text after its closing quote", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_names_its_line()
    {
        byte[] bytes = [.. Utf8("a,b\n1,2\n3,"), 0xE9, .. Utf8("t\n4,5\n")]; // Latin-1 "é"

        var error = await FailureAsync(bytes);

        Assert.Equal("Line 3 is not valid UTF-8; save the file as UTF-8.", error.Message);
    }

    [Fact]
    public async Task Invalid_utf8_far_into_the_file_names_its_line()
    {
        var good = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"{i},row {i}\n"));
        byte[] bytes = [.. Utf8("a,b\n" + good), 0xFF, 0xFE, .. Utf8(",x\n")];

        var error = await FailureAsync(bytes);

        Assert.Equal("Line 50002 is not valid UTF-8; save the file as UTF-8.", error.Message);
    }

    [Theory]
    [InlineData("a,,c\n1,2,3\n", "column 2 of the header has no name")]
    [InlineData("a, ,c\n1,2,3\n", "column 2 of the header has no name")]
    [InlineData("id,Amount,amount\n1,2,3\n", "the header names 'amount' twice (columns 2 and 3)")]
    [InlineData("x,y,x\n1,2,3\n", "the header names 'x' twice (columns 1 and 3)")]
    public async Task Bad_header_names_the_column(string csv, string expected)
    {
        var error = await FailureAsync(Utf8(csv));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }
}
