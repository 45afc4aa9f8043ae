using System.Text;
using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoCsvTests
{
    [Fact]
    public void Writer_quotes_only_fields_that_need_it_and_doubles_quotes()
    {
        using var writer = new StringWriter();

        DemoCsvWriter.WriteRecord(writer, ["plain", "a,b", "say \"hi\"", "line1\nline2", null, "cr\rx", ""]);

        Assert.Equal("plain,\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\",,\"cr\rx\",\n", writer.ToString());
    }

    [Fact]
    public void Round_trip_preserves_every_cell_including_multiline_ticket_bodies()
    {
        var dataset = DemoDataGenerator.Generate(
            DemoUseCaseKeys.TicketRouting, new DemoGenerationOptions { TenantSlug = "csv-co", Rows = 2000, Region = "eu" });

        var frame = new DemoFrame(dataset);

        Assert.Equal(dataset.Header, frame.Header);
        Assert.Equal(dataset.RowCount, frame.Count);
        for (var r = 0; r < dataset.RowCount; r++)
        {
            Assert.Equal(dataset.Rows[r].Select(v => v ?? string.Empty), frame.Rows[r]);
        }

        var bodies = dataset.Rows.Select(r => r[dataset.IndexOf("body")]).OfType<string>().ToList();
        Assert.Contains(bodies, b => b.Contains('\n', StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains('"', StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains(',', StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains('€', StringComparison.Ordinal));
    }

    [Fact]
    public void Stream_output_is_utf8_without_bom_and_uses_lf_line_ends()
    {
        var dataset = DemoDataGenerator.Generate(
            DemoUseCaseKeys.TicketRouting, new DemoGenerationOptions { TenantSlug = "csv-co", Rows = 500, Region = "eu" });
        using var stream = new MemoryStream();

        dataset.WriteCsv(stream);

        var bytes = stream.ToArray();
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        Assert.DoesNotContain((byte)'\r', bytes);
        Assert.Equal((byte)'\n', bytes[^1]);
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        Assert.Equal(dataset.ToCsv(), text);
        Assert.StartsWith(string.Join(",", dataset.Header) + "\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Async_writer_matches_sync_writer_and_leaves_stream_open()
    {
        var dataset = DemoDataGenerator.Generate(
            DemoUseCaseKeys.TicketRouting, new DemoGenerationOptions { TenantSlug = "csv-co", Rows = 4500 });
        using var sync = new MemoryStream();
        using var async = new MemoryStream();

        dataset.WriteCsv(sync);
        await dataset.WriteCsvAsync(async);

        Assert.Equal(sync.ToArray(), async.ToArray());
        Assert.True(async.CanWrite);
    }

    [Fact]
    public void Zero_rows_give_a_header_only_file()
    {
        var dataset = DemoDataGenerator.Generate(DemoUseCaseKeys.ChurnRisk, new DemoGenerationOptions { TenantSlug = "empty", Rows = 0 });

        Assert.Equal(0, dataset.RowCount);
        Assert.Equal(string.Join(",", dataset.Header) + "\n", dataset.ToCsv());
    }
}
