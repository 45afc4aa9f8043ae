using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoMissingValueTests
{
    public static TheoryData<string, double> Cases => new()
    {
        { DemoUseCaseKeys.LeadScoring, 0.05 },
        { DemoUseCaseKeys.ChurnRisk, 0.15 },
        { DemoUseCaseKeys.TicketRouting, 0.1 },
        { DemoUseCaseKeys.ResolutionTime, 0.05 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Overall_feature_missing_rate_follows_the_option(string useCase, double rate)
    {
        var dataset = Generate(useCase, rate);
        var features = FeatureIndexes(dataset);

        var missing = dataset.Rows.Sum(r => features.Count(c => r[c] is null));
        var observed = (double)missing / (dataset.RowCount * features.Length);

        Assert.InRange(observed, rate * 0.7, rate * 1.3);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Missingness_is_uneven_across_columns(string useCase, double rate)
    {
        var dataset = Generate(useCase, rate);

        var perColumn = FeatureIndexes(dataset)
            .Select(c => dataset.Rows.Count(r => r[c] is null) / (double)dataset.RowCount)
            .ToArray();

        Assert.True(perColumn.Max() > rate * 2, $"max column rate {perColumn.Max():P1}");
        Assert.True(perColumn.Min() < rate / 2, $"min column rate {perColumn.Min():P1}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Key_time_and_label_are_never_missing(string useCase, double rate)
    {
        var dataset = Generate(useCase, Math.Min(0.5, rate * 3));

        foreach (var column in new[] { dataset.EntityKey, dataset.EventTime, dataset.Label })
        {
            var index = dataset.IndexOf(column.CanonicalName);
            Assert.All(dataset.Rows, r => Assert.False(string.IsNullOrEmpty(r[index])));
            Assert.Equal(0, column.MissingRate);
        }
    }

    [Fact]
    public void Zero_missing_rate_leaves_no_empty_cell()
    {
        foreach (var useCase in DemoUseCaseKeys.All)
        {
            var dataset = Generate(useCase, 0);

            Assert.All(dataset.Rows, r => Assert.All(r, v => Assert.False(string.IsNullOrEmpty(v))));
        }
    }

    [Fact]
    public void Recorded_column_rates_predict_observed_rates()
    {
        var dataset = Generate(DemoUseCaseKeys.ChurnRisk, 0.1);

        foreach (var index in FeatureIndexes(dataset))
        {
            var observed = dataset.Rows.Count(r => r[index] is null) / (double)dataset.RowCount;
            Assert.InRange(observed, (dataset.Columns[index].MissingRate * 0.8) - 0.01, (dataset.Columns[index].MissingRate * 1.2) + 0.01);
        }
    }

    private static DemoDataset Generate(string useCase, double rate) =>
        DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = "sparse-co", Rows = 4000, MissingRate = rate });

    private static int[] FeatureIndexes(DemoDataset dataset) =>
        [.. dataset.Columns.Select((c, i) => (c, i)).Where(p => p.c.Role == DemoColumnRole.Feature).Select(p => p.i)];
}
