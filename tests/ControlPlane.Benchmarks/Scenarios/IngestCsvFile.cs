using System.Globalization;
using System.Text;
using ControlPlane.Core.Datasets.Tabular;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// A synthetic upload shaped like the demo tenants' files but wider: 20 columns of keys, ISO times, integers,
/// decimals, categories, booleans and short free text (some quoted, with commas), about 5% empty cells.
/// Synthetic rather than <c>DemoDataGenerator</c> so a million rows never sit in memory while the file is written.
/// </summary>
internal static class IngestCsvFile
{
    public const int Columns = 20;

    private static readonly string[] Plans = ["free", "basic", "plus", "premium", "enterprise"];
    private static readonly string[] Countries = ["United States", "Germany", "France", "Japan", "Brazil", "India", "New Zealand"];
    private static readonly string[] Channels = ["email", "chat", "phone", "web", "partner"];
    private static readonly string[] Words = ["cannot", "login", "invoice", "export", "sync", "slow", "error", "refund", "page", "report", "after", "update", "mobile", "app", "fails"];

    /// <summary>Parses the file once with <see cref="CsvTableReader"/> (the ingest scenarios' floor) and checks its row count.</summary>
    public static async Task ParseAsync(string path, int expectedRows, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        await using var reader = await CsvTableReader.OpenAsync(file, ct);
        var batch = new RowBatch();
        var rows = 0L;
        int n;
        while ((n = await reader.ReadBatchAsync(batch, ct)) > 0)
        {
            rows += n;
        }

        if (rows != expectedRows)
        {
            throw new InvalidOperationException($"Parsed {rows} rows, expected {expectedRows}.");
        }
    }

    public static long Write(string path, int rows)
    {
        var random = new Random(20260301);
        var start = new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var c = CultureInfo.InvariantCulture;
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        writer.Write("account_id,created_at,seats,monthly_spend,logins_30d,tickets_90d,nps,tenure_days,discount_pct,usage_gb,");
        writer.Write("api_calls,plan,country,channel,region,segment,is_active,has_sso,subject,last_note\n");
        var sb = new StringBuilder(256);
        for (var i = 0; i < rows; i++)
        {
            sb.Clear();
            sb.Append(c, $"{100000 + i},{start.AddSeconds(i * 31.0):yyyy-MM-dd'T'HH:mm:ss'Z'},");
            Cell(sb, random, random.Next(1, 500).ToString(c));
            Cell(sb, random, (random.NextDouble() * 5000).ToString("F2", c));
            Cell(sb, random, random.Next(0, 300).ToString(c));
            Cell(sb, random, random.Next(0, 20).ToString(c));
            Cell(sb, random, random.Next(-100, 101).ToString(c));
            Cell(sb, random, random.Next(1, 3000).ToString(c));
            Cell(sb, random, (random.NextDouble() * 40).ToString("F1", c));
            Cell(sb, random, (random.NextDouble() * 900).ToString("F3", c));
            Cell(sb, random, random.NextInt64(0, 10_000_000).ToString(c));
            Cell(sb, random, Plans[random.Next(Plans.Length)]);
            Cell(sb, random, Countries[random.Next(Countries.Length)]);
            Cell(sb, random, Channels[random.Next(Channels.Length)]);
            Cell(sb, random, random.Next(3) switch { 0 => "us", 1 => "eu", _ => "apac" });
            Cell(sb, random, random.Next(3) switch { 0 => "smb", 1 => "mid-market", _ => "enterprise" });
            Cell(sb, random, random.Next(2) == 0 ? "true" : "false");
            Cell(sb, random, random.Next(4) == 0 ? "yes" : "no");
            Cell(sb, random, Sentence(random, 4 + random.Next(5)));
            sb.Append('"').Append(Sentence(random, 8 + random.Next(12))).Append(", thanks\"\n");
            writer.Write(sb);
        }

        writer.Flush();
        return writer.BaseStream.Length;
    }

    private static void Cell(StringBuilder sb, Random random, string value)
    {
        if (random.Next(20) != 0)
        {
            sb.Append(value);
        }

        sb.Append(',');
    }

    private static string Sentence(Random random, int words)
    {
        var sb = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            sb.Append(w == 0 ? "" : " ").Append(Words[random.Next(Words.Length)]);
        }

        return sb.ToString();
    }
}
