using System.Text;
using ControlPlane.Core.Datasets.Tabular;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace ControlPlane.UnitTests.Datasets;

public class ParquetTableReaderTests
{
    [Fact]
    public async Task A_file_written_by_another_producer_reads_as_invariant_text()
    {
        var id = new DataField<int>("id");
        var name = new DataField<string>("name", nullable: true);
        var score = new DataField<double?>("score");
        // Parquet.Net 6 dropped DateTimeOffset; a zone-aware producer (pandas, Spark) writes UTC-adjusted timestamps.
        var at = new DateTimeDataField("at", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
        var price = new DecimalDataField("price", 10, 2);
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, name, score, at, price), file))
        {
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync<int>(id, new[] { 1, -7, int.MaxValue });
            await rowGroup.WriteAsync(name, new[] { "Ada", null, "Zoë" }!, null);
            await rowGroup.WriteAsync<double>(score, new double?[] { 0.1, null, double.NaN });
            await rowGroup.WriteAsync<DateTime>(at, new[]
            {
                new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)).UtcDateTime,
                new DateTime(1999, 12, 31, 23, 59, 59, 500, DateTimeKind.Utc),
                new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc),
            });
            await rowGroup.WriteAsync<decimal>(price, new[] { 12.34m, 0m, -0.05m });
            rowGroup.CompleteValidate();
        }

        var rows = await ParquetTestFiles.ReadAllAsync(file);

        Assert.Equal(3, rows.Count);
        Assert.Equal((string?[])["1", "Ada", "0.1", "2024-03-01T10:00:00.0000000Z", "12.34"], rows[0]);
        Assert.Equal((string?[])["-7", null, null, "1999-12-31T23:59:59.5000000Z", "0.00"], rows[1]);
        Assert.Equal((string?[])["2147483647", "Zoë", "NaN", "2024-03-01T00:00:00.0000000Z", "-0.05"], rows[2]);
    }

    [Fact]
    public async Task A_timestamp_without_a_zone_keeps_its_digits_and_reads_as_utc()
    {
        var local = new DateTimeDataField("local", DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis);
        var day = new DateTimeDataField("day", DateTimeFormat.Date);
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(local, day), file))
        {
            using var rowGroup = writer.CreateRowGroup();
            await rowGroup.WriteAsync<DateTime>(local, new[] { new DateTime(2024, 7, 1, 9, 30, 0, 250, DateTimeKind.Unspecified) });
            await rowGroup.WriteAsync<DateTime>(day, new[] { new DateTime(2024, 7, 1) });
            rowGroup.CompleteValidate();
        }

        var rows = await ParquetTestFiles.ReadAllAsync(file);

        Assert.Equal((string?[])["2024-07-01T09:30:00.2500000Z", "2024-07-01T00:00:00.0000000Z"], Assert.Single(rows));
    }

    [Fact]
    public async Task Column_names_come_from_the_file_in_order()
    {
        using var file = new MemoryStream();
        await ParquetSerializer.SerializeAsync(new[] { new Flat { B = 2, A = "x" } }, file);
        file.Position = 0;

        await using var reader = await ParquetTableReader.OpenAsync(file, CancellationToken.None);

        Assert.Equal(["B", "A"], reader.Columns);
    }

    [Fact]
    public async Task A_csv_named_parquet_is_not_a_parquet_file()
    {
        using var file = new MemoryStream(Encoding.UTF8.GetBytes("id,name\n1,Ada\n2,Grace\n3,Edsger\n4,Barbara\n"));

        var e = await Assert.ThrowsAsync<TableFormatException>(() => ParquetTableReader.OpenAsync(file, CancellationToken.None));

        Assert.StartsWith("The file is not a valid Parquet file: ", e.Message);
    }

    [Fact]
    public async Task A_truncated_file_is_not_a_parquet_file()
    {
        using var whole = new MemoryStream();
        await ParquetSerializer.SerializeAsync(Enumerable.Range(0, 1000).Select(i => new Flat { B = i, A = $"a{i}" }), whole);
        using var truncated = new MemoryStream(whole.ToArray()[..(int)(whole.Length / 2)]);

        var e = await Assert.ThrowsAsync<TableFormatException>(() => ParquetTestFiles.ReadAllAsync(truncated));

        Assert.StartsWith("The file is not a valid Parquet file: ", e.Message);
    }

    [Fact]
    public async Task Garbled_data_pages_are_reported_as_not_a_parquet_file()
    {
        using var whole = new MemoryStream();
        await ParquetSerializer.SerializeAsync(Enumerable.Range(0, 1000).Select(i => new Flat { B = i, A = $"a{i}" }), whole);
        var bytes = whole.ToArray();
        // Overwrite the data between the leading magic and the footer, which stays intact.
        for (var i = 4; i < bytes.Length / 2; i++) bytes[i] = 0xAB;

        var e = await Assert.ThrowsAsync<TableFormatException>(() => ParquetTestFiles.ReadAllAsync(new MemoryStream(bytes)));

        Assert.StartsWith("The file is not a valid Parquet file: ", e.Message);
    }

    [Fact]
    public async Task A_nested_column_is_refused_by_name()
    {
        using var file = new MemoryStream();
        await ParquetSerializer.SerializeAsync(new[] { new WithList { Id = 1, Tags = [1, 2] } }, file);
        file.Position = 0;

        var e = await Assert.ThrowsAsync<TableFormatException>(() => ParquetTableReader.OpenAsync(file, CancellationToken.None));

        Assert.Equal("Column 'Tags' is nested; only flat tables are supported.", e.Message);
        Assert.Equal("Tags", e.Column);
    }

    private sealed class Flat
    {
        public int B { get; set; }

        public string A { get; set; } = "";
    }

    private sealed class WithList
    {
        public int Id { get; set; }

        public List<int> Tags { get; set; } = [];
    }
}
