using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace ControlPlane.Core.Predictions;

/// <summary>Writes predictions as CSV (RFC 4180, UTF-8, header row) or Parquet (Snappy, row groups of 100,000), streaming.</summary>
public static class PredictionExport
{
    public const int RowGroupSize = 100_000;
    private static readonly string[] Header = ["tenant", "use_case", "entity_key", "as_of", "model_version", "score", "label", "class_scores"];

    public static async Task<long> WriteCsvAsync(Stream output, string tenant, string useCase, IAsyncEnumerable<PredictionView> rows, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', Header));
        long count = 0;
        var prefix = $"{Csv(tenant)},{Csv(useCase)},";
        await foreach (var row in rows.WithCancellation(ct))
        {
            await writer.WriteLineAsync(prefix + string.Join(',',
                Csv(row.EntityKey), row.AsOf.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture), Csv(row.Model),
                row.Score.ToString("R", CultureInfo.InvariantCulture), Csv(row.Label), Csv(row.ClassScores)));
            count++;
        }

        return count;
    }

    public static async Task<long> WriteParquetAsync(Stream output, string tenant, string useCase, IAsyncEnumerable<PredictionView> rows, CancellationToken ct = default)
    {
        var fields = new Field[]
        {
            new DataField<string>("tenant"), new DataField<string>("use_case"), new DataField<string>("entity_key", nullable: true),
            new DateTimeDataField("as_of", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros),
            new DataField<string>("model_version"), new DataField<double>("score"), new DataField<string>("label", nullable: true),
            new DataField<string>("class_scores", nullable: true),
        };
        var schema = new ParquetSchema(fields);
        // Parquet needs a seekable stream for its footer only at the end; an HTTP body is not, so buffer to a temp file.
        var path = Path.GetTempFileName();
        try
        {
            long count = 0;
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await using (var writer = await ParquetWriter.CreateAsync(schema, file, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: ct))
                {
                    var buffer = new List<PredictionView>(RowGroupSize);
                    await foreach (var row in rows.WithCancellation(ct))
                    {
                        buffer.Add(row);
                        if (buffer.Count == RowGroupSize)
                        {
                            await FlushAsync(writer, fields, tenant, useCase, buffer, ct);
                            count += buffer.Count;
                            buffer.Clear();
                        }
                    }

                    if (buffer.Count > 0 || count == 0)
                    {
                        await FlushAsync(writer, fields, tenant, useCase, buffer, ct);
                        count += buffer.Count;
                    }
                }

                file.Position = 0;
                await file.CopyToAsync(output, ct);
            }

            return count;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task FlushAsync(ParquetWriter writer, Field[] fields, string tenant, string useCase, List<PredictionView> rows, CancellationToken ct)
    {
        using var group = writer.CreateRowGroup();
        await Text(group, fields[0], Enumerable.Repeat(tenant, rows.Count).ToArray(), ct);
        await Text(group, fields[1], Enumerable.Repeat(useCase, rows.Count).ToArray(), ct);
        await Text(group, fields[2], rows.Select(r => r.EntityKey).ToArray(), ct);
        await group.WriteAsync<DateTime>((DataField)fields[3], rows.Select(r => (DateTime?)r.AsOf).ToArray().AsMemory(), null, null, ct);
        await Text(group, fields[4], rows.Select(r => r.Model).ToArray(), ct);
        await group.WriteAsync<double>((DataField)fields[5], rows.Select(r => (double?)r.Score).ToArray().AsMemory(), null, null, ct);
        await Text(group, fields[6], rows.Select(r => r.Label).ToArray(), ct);
        await Text(group, fields[7], rows.Select(r => r.ClassScores).ToArray(), ct);
        group.CompleteValidate();
    }

    private static Task Text(ParquetRowGroupWriter group, Field field, string?[] values, CancellationToken ct) =>
        group.WriteAsync((DataField)field, new ArraySegment<string?>(values)!, null);

    private static string Csv(string? value)
    {
        if (value is null) return "";
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
