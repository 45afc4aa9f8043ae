using ControlPlane.ML;
using System.Globalization;
using ControlPlane.Core.Datasets.Tabular;
using ControlPlane.Core.DemoData;
using ControlPlane.Core.UseCases;
using static ControlPlane.UnitTests.Datasets.TabularTestData;

namespace ControlPlane.UnitTests.Datasets;

public sealed class ColumnProfilerTests
{
    public static TheoryData<string, string> Demos => UseCasesAndTenants();

    private static async Task<TableProfile> ProfileAsync(byte[] bytes, IReadOnlyDictionary<string, FeatureType>? overrides = null, int batchSize = RowBatch.DefaultCapacity)
    {
        await using var reader = await CsvTableReader.OpenAsync(new MemoryStream(bytes), CancellationToken.None);
        return await ColumnProfiler.ProfileAsync(reader, overrides, batchSize);
    }

    private static async Task<ColumnProfile> OneColumnAsync(IEnumerable<string?> values) =>
        (await ProfileAsync(Utf8("v\n" + string.Concat(values.Select(v => $"\"{v?.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n"))))).Columns[0];

    [Theory]
    [MemberData(nameof(Demos))]
    public async Task Inferred_types_match_the_generator_kinds(string useCase, string tenant)
    {
        var dataset = Demo(useCase, tenant);

        var profile = await ProfileAsync(Csv(dataset));

        Assert.Equal(dataset.RowCount, profile.RowCount);
        foreach (var column in dataset.Columns)
        {
            var type = profile[column.RawName].Type;
            var ok = column.Kind switch
            {
                // Keys are labels; numeric-style keys ("100234") read as numbers, which the rules allow a tenant to override.
                DemoColumnKind.Identifier => type is FeatureType.Category or FeatureType.Text or FeatureType.Number,
                DemoColumnKind.Timestamp => type == FeatureType.DateTime,
                DemoColumnKind.Number => type == FeatureType.Number,
                DemoColumnKind.Boolean => type == FeatureType.Boolean,
                DemoColumnKind.Category => type == FeatureType.Category,
                DemoColumnKind.Text => type == FeatureType.Text,
                _ => false,
            };
            Assert.True(ok, $"{useCase}/{tenant} column '{column.RawName}' ({column.Kind}) was inferred as {type}.");
            Assert.Equal(0, profile[column.RawName].Misfits);
        }
    }

    [Theory]
    [MemberData(nameof(Demos))]
    public async Task Nulls_and_number_statistics_match_a_direct_computation(string useCase, string tenant)
    {
        var dataset = Demo(useCase, tenant);

        var profile = await ProfileAsync(Csv(dataset));

        for (var c = 0; c < dataset.Columns.Count; c++)
        {
            var column = profile.Columns[c];
            var cells = dataset.Rows.Select(r => r[c]).ToList();
            Assert.Equal(cells.Count(string.IsNullOrEmpty), column.Nulls);
            Assert.Equal(cells.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).Count(), column.DistinctCount);
            if (column.Type == FeatureType.Number)
            {
                var numbers = cells.Where(v => !string.IsNullOrEmpty(v)).Select(v => double.Parse(v!, CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(numbers.Min(), column.Min);
                Assert.Equal(numbers.Max(), column.Max);
                Assert.Equal(numbers.Average(), column.Mean!.Value, 1e-9 * Math.Max(1, Math.Abs(numbers.Average())));
                Assert.Equal(numbers.Count, column.Histogram.Sum(b => b.Count));
            }
        }

        Assert.Contains(profile.Columns, c => c.Nulls > 0);
    }

    [Fact]
    public async Task A_date_column_gets_rows_per_period_from_its_first_day_to_its_last()
    {
        var days = Enumerable.Range(0, 40).Select(i => new DateTime(2025, 1, 1).AddDays(i * 3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        var column = await OneColumnAsync(days);

        Assert.Equal(FeatureType.DateTime, column.Type);
        Assert.Equal(40, column.DateHistogram.Sum(b => b.Count));
        Assert.Equal(new DateTime(2025, 1, 1), ColumnProfile.DayOf(column.DateHistogram[0].Lower));
        Assert.Equal(new DateTime(2025, 1, 1).AddDays(117), ColumnProfile.DayOf(column.DateHistogram[^1].Upper));
        Assert.Empty(column.Histogram);
    }

    [Fact]
    public async Task Category_top_values_and_date_range_match_a_direct_computation()
    {
        var dataset = Demo("churn-risk", "acme", rows: 3000);
        var profile = await ProfileAsync(Csv(dataset));

        var category = dataset.Columns.Select((c, i) => (c, i)).First(p => p.c.Kind == DemoColumnKind.Category);
        var expected = dataset.Rows.Select(r => r[category.i]).OfType<string>().Where(v => v.Length > 0)
            .GroupBy(v => v, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(10).Select(g => new ValueCount(g.Key, g.Count()));
        Assert.Equal(expected, profile[category.c.RawName].TopValues);

        var time = dataset.EventTime;
        var times = dataset.Rows.Select(r => r[dataset.IndexOf(time.CanonicalName)]).OfType<string>()
            .Select(v => DateTime.ParseExact(v, time.Format!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)).ToList();
        Assert.Equal(times.Min(), profile[time.RawName].MinDate);
        Assert.Equal(times.Max(), profile[time.RawName].MaxDate);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(97)]
    [InlineData(5000)]
    public async Task Batch_size_does_not_change_the_profile(int batchSize)
    {
        var bytes = Csv(Demo("lead-scoring", "globex-eu", rows: 2500));

        var expected = await ProfileAsync(bytes);
        var actual = await ProfileAsync(bytes, batchSize: batchSize);

        Assert.Equal(Describe(expected), Describe(actual));
    }

    [Fact]
    public async Task A_few_misfits_keep_the_type_and_are_counted()
    {
        var values = Enumerable.Range(0, 990).Select(i => i.ToString(CultureInfo.InvariantCulture)).Concat(Enumerable.Repeat("n/a", 10));

        var column = await OneColumnAsync(values);

        Assert.Equal(FeatureType.Number, column.Type);
        Assert.Equal(10, column.Misfits);
        Assert.Equal(0, column.Min);
        Assert.Equal(989, column.Max);
    }

    [Fact]
    public async Task Too_many_misfits_give_up_the_type()
    {
        var values = Enumerable.Range(0, 950).Select(i => i.ToString(CultureInfo.InvariantCulture)).Concat(Enumerable.Repeat("n/a", 50));

        var column = await OneColumnAsync(values);

        Assert.Equal(FeatureType.Category, column.Type);
        Assert.Null(column.Mean);
    }

    [Theory]
    [InlineData(new[] { "yes", "no", "YES", "No" }, FeatureType.Boolean)]
    [InlineData(new[] { "1", "0", "1", "1" }, FeatureType.Boolean)]
    [InlineData(new[] { "Y", "N", "y" }, FeatureType.Boolean)]
    [InlineData(new[] { "yes", "no", "true" }, FeatureType.Category)]
    [InlineData(new[] { "1", "0", "2" }, FeatureType.Number)]
    [InlineData(new[] { "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "1", "0", "3" }, FeatureType.Number)]
    [InlineData(new[] { "1.5", "-2e3", "7" }, FeatureType.Number)]
    [InlineData(new[] { "1,234.5", "7" }, FeatureType.Category)]
    [InlineData(new[] { "2026-03-01", "2026-03-01T10:00:00Z", "2026-03-01 10:00:00", "2026-03-01T10:00:00.123+02:00" }, FeatureType.DateTime)]
    [InlineData(new[] { "03/01/2026", "2026-03-01" }, FeatureType.Category)]
    [InlineData(new[] { "gold", "silver", "gold", "bronze" }, FeatureType.Category)]
    public async Task Inference_rules(string[] values, FeatureType expected)
    {
        var column = await OneColumnAsync(values);

        Assert.Equal(expected, column.Type);
    }

    [Fact]
    public async Task Many_distinct_sentences_are_text_and_few_multi_word_labels_are_categories()
    {
        var sentences = await OneColumnAsync(Enumerable.Range(0, 300).Select(i => $"cannot log in since update {i % 60}"));
        var countries = await OneColumnAsync(Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? "United States" : i % 3 == 1 ? "New Zealand" : "France"));

        Assert.Equal(FeatureType.Text, sentences.Type);
        Assert.Equal(FeatureType.Category, countries.Type);
        Assert.Equal(100, countries.TopValues.Single(v => v.Value == "France").Count);
    }

    [Fact]
    public async Task Long_values_are_text_even_when_repeated()
    {
        var column = await OneColumnAsync(Enumerable.Repeat(new string('a', 41), 10));

        Assert.Equal(FeatureType.Text, column.Type);
        Assert.Equal(41, column.AverageLength);
    }

    [Fact]
    public async Task Distinct_count_stops_at_ten_thousand_and_says_so()
    {
        var column = await OneColumnAsync(Enumerable.Range(0, 20_000).Select(i => $"k{i}"));

        Assert.Equal(10_000, column.DistinctCount);
        Assert.True(column.DistinctIsLowerBound);
        Assert.Equal(20_000, column.Count);
    }

    [Fact]
    public async Task Nulls_are_counted_and_excluded_from_statistics()
    {
        var column = await OneColumnAsync(["4", null, "6", null, null]);

        Assert.Equal(5, column.Count);
        Assert.Equal(3, column.Nulls);
        Assert.Equal(0.6, column.NullRate, 1e-12);
        Assert.Equal(5, column.Mean);
        Assert.Equal(2, column.DistinctCount);
    }

    [Fact]
    public async Task Histogram_of_up_to_ten_thousand_numbers_is_exact()
    {
        var column = await OneColumnAsync(Enumerable.Range(0, 100).Select(i => i.ToString(CultureInfo.InvariantCulture)));

        Assert.Equal(20, column.Histogram.Count);
        Assert.All(column.Histogram, b => Assert.Equal(5, b.Count));
        Assert.Equal(0, column.Histogram[0].Lower);
        Assert.Equal(99, column.Histogram[^1].Upper);
    }

    [Fact]
    public async Task Histogram_of_a_large_column_is_scaled_from_the_sample()
    {
        var column = await OneColumnAsync(Enumerable.Range(0, 100_000).Select(i => (i % 1000).ToString(CultureInfo.InvariantCulture)));

        Assert.InRange(column.Histogram.Sum(b => b.Count), 99_980, 100_020); // rounding per bin
        Assert.All(column.Histogram, b => Assert.InRange(b.Count, 4000, 6000)); // uniform: 5,000 per bin
    }

    [Fact]
    public async Task Override_sets_the_type_and_misfits_are_counted_against_it()
    {
        var bytes = Utf8("code,when\n100,2026-01-01\n200,soon\nA7,2026-01-02\n");

        var profile = await ProfileAsync(bytes, new Dictionary<string, FeatureType> { ["code"] = FeatureType.Number, ["when"] = FeatureType.DateTime });

        Assert.Equal(FeatureType.Number, profile["code"].Type);
        Assert.Equal(FeatureType.Category, profile["code"].InferredType);
        Assert.True(profile["code"].IsOverridden);
        Assert.Equal(1, profile["code"].Misfits);
        Assert.Equal(150, profile["code"].Mean);
        Assert.Equal(1, profile["when"].Misfits);
        Assert.Equal(new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc), profile["when"].MaxDate);
    }

    private static string Describe(TableProfile p) => string.Join("\n", p.Columns.Select(c =>
        $"{c.Name}|{c.Type}|{c.Count}|{c.Nulls}|{c.DistinctCount}|{c.Misfits}|{c.Min}|{c.Max}|{c.Mean:R}|{c.MinDate:O}|{c.MaxDate:O}|{c.AverageLength:R}|" +
        string.Join(';', c.Histogram.Select(b => $"{b.Lower}:{b.Count}")) + "|" + string.Join(';', c.TopValues.Select(v => $"{v.Value}:{v.Count}"))));
}
