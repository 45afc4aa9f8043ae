using Bunit;
using ControlPlane.Core.Monitoring.Fleet;
using ControlPlane.Web.Components.UseCases;

namespace ControlPlane.ComponentTests.UseCases;

/// <summary>The lift chart draws each measured tenant's lift with its interval against zero, coloured by whether the own model is worth it, with axis titles.</summary>
public sealed class LiftChartTests : CoreTestContext
{
    [Fact]
    public void Each_measured_tenant_is_a_point_with_its_interval_and_the_unmeasured_are_left_out()
    {
        static TenantCostValue Tenant(string slug, double? lift, double? low, double? high, string worth) =>
            new(slug, slug, "us", "own v1", 1, 12, 0, 1000, 10, 0, 0, "auc", true, 0.8, 0.8 - (lift ?? 0), lift, low, high, worth, "");
        var cut = Render<LiftChart>(p => p.Add(c => c.Tenants, new[]
        {
            Tenant("acme", 0.05, 0.02, 0.08, OwnModelWorth.Yes),
            Tenant("globex", -0.01, -0.04, 0.02, OwnModelWorth.No),
            Tenant("initech", null, null, null, OwnModelWorth.Unknown),
        }));

        var points = cut.FindAll("[data-lift]");
        Assert.Equal(new[] { "acme", "globex" }, points.Select(p => p.GetAttribute("data-lift") ?? ""));
        Assert.Equal(new[] { "yes", "no" }, points.Select(p => p.GetAttribute("data-worth") ?? ""));
        Assert.All(points, p => Assert.NotNull(p.QuerySelector("line")));
        var zero = double.Parse(cut.Find("[data-zero]").GetAttribute("x1")!, System.Globalization.CultureInfo.InvariantCulture);
        double X(int i) => double.Parse(points[i].QuerySelector("circle")!.GetAttribute("cx")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(X(0) > zero && X(1) < zero, "a positive lift right of zero, a negative one left of it");
        Assert.Contains("own − pooled on the tenant's test rows", cut.Find(".cp-chart-axis").TextContent, StringComparison.Ordinal);
        Assert.Contains("(auc)", cut.Find(".cp-chart-title").TextContent, StringComparison.Ordinal);
    }
}
