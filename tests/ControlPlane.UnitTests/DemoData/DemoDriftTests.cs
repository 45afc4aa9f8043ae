using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoDriftTests
{
    private static readonly DateTime DriftAfter = DemoGenerationOptions.DefaultAsOfUtc.AddDays(-90);

    [Theory]
    [InlineData(DemoUseCaseKeys.LeadScoring, "pages_viewed", 1.3)]
    [InlineData(DemoUseCaseKeys.ChurnRisk, "logins_30d", 0.75)]
    [InlineData(DemoUseCaseKeys.TicketRouting, "attachments", 1.3)]
    [InlineData(DemoUseCaseKeys.ResolutionTime, "body_length", 1.15)]
    public void Covariate_drift_shifts_a_numeric_mean_after_the_drift_date(string useCase, string column, double expectedRatio)
    {
        var options = new DemoGenerationOptions { TenantSlug = "drift-co", Rows = 6000 };

        var drifted = MeanRatio(new DemoFrame(DemoDataGenerator.Generate(useCase, options with { DriftAfterUtc = DriftAfter })), column);
        var stable = MeanRatio(new DemoFrame(DemoDataGenerator.Generate(useCase, options)), column);

        if (expectedRatio > 1)
        {
            Assert.True(drifted > expectedRatio, $"after/before {drifted:F3}");
        }
        else
        {
            Assert.True(drifted < expectedRatio, $"after/before {drifted:F3}");
        }

        Assert.InRange(stable, 0.9, 1.1);
    }

    [Fact]
    public void Category_mix_shifts_after_the_drift_date()
    {
        var frame = new DemoFrame(DemoDataGenerator.Generate(
            DemoUseCaseKeys.TicketRouting,
            new DemoGenerationOptions { TenantSlug = "drift-co", Rows = 6000, DriftAfterUtc = DriftAfter }));

        var before = ChatShare(frame, i => frame.Time(i) < DriftAfter);
        var after = ChatShare(frame, i => frame.Time(i) >= DriftAfter);

        Assert.True(after > before * 1.5, $"chat share before {before:P1}, after {after:P1}");
    }

    [Fact]
    public void Drifted_columns_are_reported_only_when_drift_falls_inside_the_data()
    {
        var options = new DemoGenerationOptions { TenantSlug = "drift-co", Rows = 500 };

        var inside = DemoDataGenerator.Generate(DemoUseCaseKeys.ChurnRisk, options with { DriftAfterUtc = DriftAfter });
        var outside = DemoDataGenerator.Generate(DemoUseCaseKeys.ChurnRisk, options with { DriftAfterUtc = options.AsOfUtc.AddDays(5) });

        Assert.Contains("logins_30d", inside.DriftedColumns);
        Assert.All(inside.DriftedColumns, c => Assert.Contains(c, inside.Mapping.Keys));
        Assert.Empty(outside.DriftedColumns);
        Assert.Empty(DemoDataGenerator.Generate(DemoUseCaseKeys.ChurnRisk, options).DriftedColumns);
    }

    [Fact]
    public void Concept_drift_hurts_a_model_trained_before_the_drift()
    {
        var options = new DemoGenerationOptions { TenantSlug = "concept-co", Rows = 8000, DriftAfterUtc = DriftAfter, LabelNoise = 0 };

        var withConcept = AucAfterDrift(DemoDataGenerator.Generate(DemoUseCaseKeys.LeadScoring, options with { ConceptDrift = true }));
        var covariateOnly = AucAfterDrift(DemoDataGenerator.Generate(DemoUseCaseKeys.LeadScoring, options));

        Assert.True(withConcept < covariateOnly - 0.05, $"concept {withConcept:F3}, covariate only {covariateOnly:F3}");
    }

    private static double MeanRatio(DemoFrame frame, string column)
    {
        var after = frame.Numbers(column, i => frame.Time(i) >= DriftAfter).Average();
        var before = frame.Numbers(column, i => frame.Time(i) < DriftAfter).Average();
        return after / before;
    }

    private static double ChatShare(DemoFrame frame, Func<int, bool> where)
    {
        var channels = Enumerable.Range(0, frame.Count).Where(where).Select(i => frame.Category(i, "channel")).OfType<string>().ToList();
        return channels.Count(c => c == "chat") / (double)channels.Count;
    }

    private static double AucAfterDrift(DemoDataset dataset)
    {
        var frame = new DemoFrame(dataset);
        var x = TinyLogisticRegression.Features(frame);
        var y = Enumerable.Range(0, frame.Count).Select(frame.Positive).ToArray();
        var before = Enumerable.Range(0, frame.Count).Where(i => frame.Time(i) < DriftAfter).ToArray();
        var after = Enumerable.Range(0, frame.Count).Where(i => frame.Time(i) >= DriftAfter).ToArray();
        var model = TinyLogisticRegression.Fit(x, y, before);
        return RankMetrics.Auc([.. after.Select(i => model.Probability(x[i]))], [.. after.Select(i => y[i])]);
    }
}
