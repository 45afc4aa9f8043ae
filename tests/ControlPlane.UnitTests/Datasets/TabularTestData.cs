using System.Text;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.Datasets;

/// <summary>Demo uploads as CSV bytes, and a reader that copies rows out of the reused batch buffers.</summary>
internal static class TabularTestData
{
    // Different slugs give different tenant habits: header styles, boolean spellings, date formats, key styles.
    public static TheoryData<string, string> UseCasesAndTenants()
    {
        var data = new TheoryData<string, string>();
        foreach (var useCase in DemoUseCaseKeys.All)
        {
            foreach (var tenant in new[] { "acme", "globex-eu", "initech" })
            {
                data.Add(useCase, tenant);
            }
        }

        return data;
    }

    public static DemoDataset Demo(string useCase, string tenant, int rows = 1500) =>
        DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = tenant, Rows = rows, Region = tenant.EndsWith("-eu", StringComparison.Ordinal) ? "eu" : "us" });

    public static byte[] Csv(DemoDataset dataset)
    {
        using var stream = new MemoryStream();
        dataset.WriteCsv(stream);
        return stream.ToArray();
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static async Task<(IReadOnlyList<string> Columns, List<string?[]> Rows)> ReadAllAsync(byte[] bytes, int batchSize = RowBatch.DefaultCapacity)
    {
        await using var reader = await CsvTableReader.OpenAsync(new MemoryStream(bytes), CancellationToken.None);
        var rows = new List<string?[]>();
        var batch = new RowBatch(batchSize);
        int count;
        while ((count = await reader.ReadBatchAsync(batch)) > 0)
        {
            Assert.Equal(rows.Count + 1, batch.FirstRow);
            rows.AddRange(batch.Rows.Take(count).Select(r => (string?[])r.Clone()));
        }

        return (reader.Columns, rows);
    }

    public static async Task<TableFormatException> FailureAsync(byte[] bytes) =>
        await Assert.ThrowsAsync<TableFormatException>(() => ReadAllAsync(bytes));
}
