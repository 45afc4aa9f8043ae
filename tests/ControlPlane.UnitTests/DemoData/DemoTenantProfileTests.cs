using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoTenantProfileTests
{
    [Theory]
    [InlineData(DemoUseCaseKeys.LeadScoring, 0.05, 0.30)]
    [InlineData(DemoUseCaseKeys.ChurnRisk, 0.03, 0.20)]
    public void Binary_base_rates_stay_in_the_use_case_range_for_every_tenant(string useCase, double low, double high)
    {
        var rates = new List<double>();
        for (var t = 0; t < 15; t++)
        {
            var frame = new DemoFrame(DemoDataGenerator.Generate(useCase, new DemoGenerationOptions { TenantSlug = $"tenant-{t}", Rows = 3000 }));
            var observed = Enumerable.Range(0, frame.Count).Count(frame.Positive) / (double)frame.Count;
            var target = frame.Dataset.TargetBaseRate!.Value;

            Assert.InRange(target, low, high);
            Assert.InRange(observed, target - 0.03, target + 0.03);
            rates.Add(target);
        }

        Assert.True(rates.Max() - rates.Min() > (high - low) / 3, "base rates should differ between tenants");
    }

    [Fact]
    public void Region_decides_which_countries_appear()
    {
        var us = Countries(DemoTenants.NorthwindTraders.Generate(DemoUseCaseKeys.LeadScoring));
        var eu = Countries(DemoTenants.FabrikamEu.Generate(DemoUseCaseKeys.LeadScoring));

        Assert.Contains("US", us);
        Assert.Contains("CA", us);
        Assert.DoesNotContain("DE", us);
        Assert.Contains("DE", eu);
        Assert.Contains("FR", eu);
        Assert.Contains("NL", eu);
        Assert.DoesNotContain("US", eu);
        Assert.Equal("eu", DemoTenants.FabrikamEu.Generate(DemoUseCaseKeys.LeadScoring).Region);
    }

    [Fact]
    public void Eu_tenants_are_billed_in_euro()
    {
        var options = new DemoGenerationOptions { TenantSlug = "euro-co", Rows = 10 };

        var eu = DemoDataGenerator.Generate(DemoUseCaseKeys.ChurnRisk, options with { Region = "eu-west" });
        var us = DemoDataGenerator.Generate(DemoUseCaseKeys.ChurnRisk, options);

        Assert.Equal("EUR", eu.Column("monthly_spend").Unit);
        Assert.Equal("USD", us.Column("monthly_spend").Unit);
    }

    [Fact]
    public void Enterprise_tenants_see_larger_companies_than_small_business_tenants()
    {
        var byScale = Enumerable.Range(1, 40)
            .Select(seed => new DemoGenerationOptions { TenantSlug = "scale-co", Seed = seed, Rows = 2000 })
            .Select(o => DemoDataGenerator.Generate(DemoUseCaseKeys.LeadScoring, o))
            .ToLookup(d => d.Segment);

        var smallBusiness = new DemoFrame(byScale["small-business"].First());
        var enterprise = new DemoFrame(byScale["enterprise"].First());

        Assert.True(Median(enterprise.Numbers("company_size")) > 10 * Median(smallBusiness.Numbers("company_size")));
    }

    [Fact]
    public void Ticket_tenants_use_three_to_six_queues_and_not_all_the_same_set()
    {
        var queueSets = Enumerable.Range(0, 12)
            .Select(t => DemoDataGenerator.Generate(DemoUseCaseKeys.TicketRouting, new DemoGenerationOptions { TenantSlug = $"desk-{t}", Rows = 1500 }))
            .Select(d =>
            {
                var label = d.IndexOf(d.Label.CanonicalName);
                var seen = d.Rows.Select(r => r[label]!).ToHashSet();
                Assert.Subset(d.LabelClasses.ToHashSet(), seen);
                return string.Join("|", d.Label.Values.Keys.Order());
            })
            .ToList();

        Assert.All(queueSets, s => Assert.InRange(s.Split('|').Length, 3, 6));
        Assert.True(queueSets.Distinct().Count() >= 3);
    }

    private static HashSet<string> Countries(DemoDataset dataset)
    {
        var frame = new DemoFrame(dataset);
        return [.. Enumerable.Range(0, frame.Count).Select(i => frame.Category(i, "country")).OfType<string>()];
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
