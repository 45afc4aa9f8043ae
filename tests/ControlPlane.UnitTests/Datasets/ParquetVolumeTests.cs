using ControlPlane.ML;
using System.Diagnostics;
using System.Globalization;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.UseCases;
using Xunit.Abstractions;

namespace ControlPlane.UnitTests.Datasets;

/// <summary>A million rows of ten columns: memory must follow the row group, not the table.</summary>
public class ParquetVolumeTests(ITestOutputHelper output)
{
    private const int Rows = 1_000_000;

    // The same table held whole as text cells is 10M strings of ~60 bytes plus 1M row arrays: about 700 MB.
    // Measured here (Debug, 2 cores): peak 84 MB writing, 125 MB reading, sampled with GC.GetTotalMemory(false),
    // so uncollected garbage counts; the bound leaves room for GC timing without admitting a whole-table buffer.
    private const long HeapBound = 300L * 1024 * 1024;

    private static readonly (string Name, FeatureType Type)[] Schema =
    [
        ("n0", FeatureType.Number), ("n1", FeatureType.Number), ("n2", FeatureType.Number), ("n3", FeatureType.Number),
        ("c0", FeatureType.Category), ("c1", FeatureType.Category), ("t0", FeatureType.Text),
        ("b0", FeatureType.Boolean), ("d0", FeatureType.DateTime), ("d1", FeatureType.DateTime),
    ];

    private static readonly DateTime Origin = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_million_rows_of_ten_columns_write_and_read_within_a_bounded_heap()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cp-volume-{Guid.NewGuid():N}.parquet");
        try
        {
            GC.Collect();
            long writePeak = 0;
            var source = new ListTableReader(Schema.Select(c => c.Name).ToList(), Rows, Row)
            {
                OnBatch = () => writePeak = Math.Max(writePeak, GC.GetTotalMemory(false)),
            };
            var clock = Stopwatch.StartNew();
            SnapshotResult result;
            await using (var file = File.Create(path))
                result = await ParquetSnapshotWriter.WriteAsync(file, Schema, source, CancellationToken.None);
            var writeSeconds = clock.Elapsed.TotalSeconds;

            Assert.Equal(Rows, result.Rows);
            Assert.Equal(Rows / ParquetSnapshotWriter.DefaultRowGroupSize, result.RowGroups);
            Assert.All(result.Misfits.Values, m => Assert.Equal(0, m));

            GC.Collect();
            long readPeak = 0;
            long read = 0;
            clock.Restart();
            await using (var file = File.OpenRead(path))
            await using (var reader = await ParquetTableReader.OpenAsync(file, CancellationToken.None))
            {
                var batch = new RowBatch();
                while (await reader.ReadBatchAsync(batch) is var n and > 0)
                {
                    readPeak = Math.Max(readPeak, GC.GetTotalMemory(false));
                    // Spot-check the last row of each batch against the generator.
                    Assert.Equal(Row(read + n - 1)[8], batch.Rows[n - 1][8]);
                    read += n;
                }
            }
            var readSeconds = clock.Elapsed.TotalSeconds;

            Assert.Equal(Rows, read);
            output.WriteLine($"write: {Rows / writeSeconds:N0} rows/s ({writeSeconds:N1} s, {new FileInfo(path).Length / 1024 / 1024} MB file), peak heap {writePeak / 1024 / 1024} MB");
            output.WriteLine($"read:  {Rows / readSeconds:N0} rows/s ({readSeconds:N1} s), peak heap {readPeak / 1024 / 1024} MB");
            Assert.InRange(writePeak, 1, HeapBound);
            Assert.InRange(readPeak, 1, HeapBound);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string?[] Row(long i) =>
    [
        (i * 0.5).ToString("R", CultureInfo.InvariantCulture),
        (i % 1000).ToString(CultureInfo.InvariantCulture),
        i % 10 == 0 ? null : (-i).ToString(CultureInfo.InvariantCulture),
        Math.Sqrt(i).ToString("R", CultureInfo.InvariantCulture),
        $"cat{i % 7}",
        $"region-{i % 31}",
        $"note {i}",
        i % 2 == 0 ? "true" : "false",
        Origin.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        Origin.AddMinutes(i % 5000).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
    ];
}
