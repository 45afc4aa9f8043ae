using ControlPlane.Core.DemoData;

namespace ControlPlane.UnitTests.DemoData;

public sealed class DemoTenantsTests
{
    [Fact]
    public void Standard_set_has_three_tenants_in_two_regions()
    {
        var tenants = DemoTenants.Standard;

        Assert.Equal(["northwind-traders", "contoso-health", "fabrikam-eu"], tenants.Select(t => t.Slug));
        Assert.Equal(["eu", "us"], tenants.Select(t => t.Region).Distinct().Order());
        Assert.All(tenants, t => Assert.False(string.IsNullOrWhiteSpace(t.DisplayName)));
        Assert.All(tenants, t => Assert.All(t.UseCaseKeys, k => Assert.Contains(k, DemoDataGenerator.UseCaseKeys)));
        Assert.Equal(tenants.Count, tenants.Select(t => t.Seed).Distinct().Count());
        Assert.Equal(
            [DemoUseCaseKeys.ChurnRisk, DemoUseCaseKeys.TicketRouting, DemoUseCaseKeys.ResolutionTime],
            DemoTenants.Get("contoso-health").UseCaseKeys);
    }

    [Fact]
    public void Exactly_one_tenant_drifts_about_two_months_before_as_of()
    {
        var drifting = Assert.Single(DemoTenants.Standard, t => t.DriftWindow is not null);
        var options = drifting.ToOptions();

        Assert.InRange((DemoTenants.AsOfUtc - options.DriftAfterUtc!.Value).TotalDays, 45, 75);
        Assert.NotEmpty(drifting.Generate(drifting.UseCaseKeys[0]).DriftedColumns);
    }

    [Fact]
    public void Standard_datasets_cover_every_enrolment_with_a_few_thousand_rows()
    {
        var datasets = DemoTenants.GenerateStandard().ToList();

        Assert.Equal(DemoTenants.Standard.Sum(t => t.UseCaseKeys.Count), datasets.Count);
        Assert.All(datasets, d => Assert.InRange(d.RowCount, 1000, 10_000));
        Assert.All(datasets, d => Assert.Equal(DemoTenants.AsOfUtc, d.EndUtc));
        Assert.True(datasets.Select(d => d.Segment).Distinct().Count() >= 2);
    }

    [Fact]
    public void Drift_window_follows_a_custom_as_of_date()
    {
        var asOf = new DateTime(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc);

        var dataset = DemoTenants.NorthwindTraders.Generate(DemoUseCaseKeys.ChurnRisk, asOf);

        Assert.Equal(asOf, dataset.EndUtc);
        Assert.Equal(asOf - DemoTenants.NorthwindTraders.DriftWindow!.Value, dataset.DriftAfterUtc);
    }

    [Fact]
    public void Unknown_tenant_slug_throws()
    {
        Assert.Throws<ArgumentException>(() => DemoTenants.Get("no-such-tenant"));
    }
}
