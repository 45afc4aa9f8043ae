using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoDeterminismTests
{
    public static TheoryData<string> UseCases => [.. DemoUseCaseKeys.All];

    [Theory]
    [MemberData(nameof(UseCases))]
    public void Same_options_produce_identical_csv_bytes(string useCase)
    {
        var options = new DemoGenerationOptions
        {
            TenantSlug = "determinism-co",
            Rows = 1500,
            Seed = 5,
            DriftAfterUtc = DemoGenerationOptions.DefaultAsOfUtc.AddDays(-40),
            ConceptDrift = true,
        };

        var first = Csv(DemoDataGenerator.Generate(useCase, options));
        var second = Csv(DemoDataGenerator.Generate(useCase, options with { }));

        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(UseCases))]
    public void Other_seed_or_slug_changes_the_output(string useCase)
    {
        var options = new DemoGenerationOptions { TenantSlug = "determinism-co", Rows = 500, Seed = 5 };

        var baseline = Csv(DemoDataGenerator.Generate(useCase, options));

        Assert.NotEqual(baseline, Csv(DemoDataGenerator.Generate(useCase, options with { Seed = 6 })));
        Assert.NotEqual(baseline, Csv(DemoDataGenerator.Generate(useCase, options with { TenantSlug = "other-co" })));
    }

    [Theory]
    [MemberData(nameof(UseCases))]
    public void Missing_rate_only_blanks_cells_and_leaves_other_values_alone(string useCase)
    {
        var options = new DemoGenerationOptions { TenantSlug = "stable-values", Rows = 800, MissingRate = 0 };

        var full = DemoDataGenerator.Generate(useCase, options);
        var sparse = DemoDataGenerator.Generate(useCase, options with { MissingRate = 0.2 });

        var blanked = 0;
        for (var r = 0; r < full.RowCount; r++)
        {
            for (var c = 0; c < full.Header.Count; c++)
            {
                if (sparse.Rows[r][c] is null)
                {
                    blanked++;
                }
                else
                {
                    Assert.Equal(full.Rows[r][c], sparse.Rows[r][c]);
                }
            }
        }

        Assert.True(blanked > 0);
    }

    private static byte[] Csv(DemoDataset dataset)
    {
        using var stream = new MemoryStream();
        dataset.WriteCsv(stream);
        return stream.ToArray();
    }
}
