using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoGeneratorApiTests
{
    private static readonly DemoGenerationOptions Valid = new() { TenantSlug = "api-co", Rows = 10 };

    [Fact]
    public void Lists_the_four_built_in_use_cases()
    {
        Assert.Equal(["lead-scoring", "churn-risk", "ticket-routing", "resolution-time"], DemoDataGenerator.UseCaseKeys);
    }

    [Fact]
    public void Unknown_use_case_throws_an_argument_exception_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => DemoDataGenerator.Generate("fraud-detection", Valid));

        Assert.Contains("fraud-detection", error.Message, StringComparison.Ordinal);
        Assert.Equal("useCaseKey", error.ParamName);
    }

    public static TheoryData<DemoGenerationOptions> InvalidOptions => new()
    {
        Valid with { TenantSlug = " " },
        Valid with { Rows = -1 },
        Valid with { Rows = DemoGenerationOptions.MaxRows + 1 },
        Valid with { MissingRate = 0.9 },
        Valid with { LabelNoise = -0.1 },
        Valid with { Span = TimeSpan.Zero },
        Valid with { AsOfUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Local) },
        Valid with { ConceptDrift = true },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_are_rejected(DemoGenerationOptions options)
    {
        Assert.ThrowsAny<ArgumentException>(() => DemoDataGenerator.Generate(DemoUseCaseKeys.LeadScoring, options));
    }

    [Fact]
    public void Dataset_reports_its_basic_facts()
    {
        var dataset = DemoDataGenerator.Generate("Churn-Risk", Valid with { Rows = 321, Region = "EU" });

        Assert.Equal(DemoUseCaseKeys.ChurnRisk, dataset.UseCaseKey);
        Assert.Equal("api-co", dataset.TenantSlug);
        Assert.Equal("eu", dataset.Region);
        Assert.Equal(DemoTaskKind.BinaryClassification, dataset.Task);
        Assert.Equal(321, dataset.RowCount);
        Assert.Equal(dataset.Mapping["churned"], dataset.Label.RawName);
        Assert.Equal(2, dataset.LabelClasses.Count);
        Assert.Equal(DemoTaskKind.Regression, DemoDataGenerator.Generate(DemoUseCaseKeys.ResolutionTime, Valid).Task);
        Assert.Empty(DemoDataGenerator.Generate(DemoUseCaseKeys.ResolutionTime, Valid).LabelClasses);
        Assert.Throws<ArgumentException>(() => dataset.Column("no_such_column"));
    }
}
