using Bunit;
using ControlPlane.Web.Components.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Models;

public sealed class ComparePageTests : ModelsTestContext
{
    [Fact]
    public async Task Two_versions_of_one_enrollment_show_coloured_deltas_overlaid_curves_and_the_rules_diff()
    {
        var rules = await EnrollAsync("acme-compare");
        await RegisterAsync("acme-compare", Reports.Binary(auc: 0.80, logLoss: 0.40, leaves: 20));
        var seats = rules.Features.Single(f => f.Name == "seats");
        var rescaled = rules with { Features = rules.Features.Select(f => f == seats ? f with { Scale = 60 } : f).ToArray() };
        var rulesV2 = await SaveRulesAsync("acme-compare", rescaled);
        await RegisterAsync("acme-compare", Reports.Binary(auc: 0.85, logLoss: 0.45, leaves: 31), rulesVersion: rulesV2);

        var cut = RenderCompare("acme-compare/churn-risk/1", "acme-compare/churn-risk/2");

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#metrics-table")), Wait);
        Assert.Equal("better", cut.Find("tr[data-metric='auc'] td[data-version='v2'] .cp-delta").GetAttribute("data-verdict"));
        Assert.Equal("worse", cut.Find("tr[data-metric='logLoss'] td[data-version='v2'] .cp-delta").GetAttribute("data-verdict"));
        Assert.Equal(2, cut.FindAll("#roc-chart polyline").Count);
        Assert.Equal(2, cut.FindAll("#pr-chart polyline").Count);

        // The hyperparameter that changed is marked; the seed is not.
        Assert.Equal("true", cut.Find("#training-diff tr[data-fact='leaves'] td[data-differs='true']").GetAttribute("data-differs"));
        Assert.Empty(cut.FindAll("#training-diff tr[data-fact='seed'] td[data-differs='true']"));
        Assert.Equal("v2", cut.Find("#data-diff tr[data-fact='rules version'] td[data-differs='true']").TextContent);

        var diff = cut.Find("[data-rules-diff='v2']");
        var change = Assert.Single(diff.QuerySelectorAll("[data-change-path]"));
        Assert.Contains("seats", change.GetAttribute("data-change-path"), StringComparison.Ordinal);
        Assert.Contains("60", change.QuerySelector("[data-after]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_tested_on_different_rows_are_flagged_and_compared_on_common_rows_with_paired_intervals()
    {
        await EnrollAsync("acme-common");
        await RegisterAsync("acme-common", Reports.Binary(auc: 0.80, leaves: 20));
        var other = Reports.Binary(auc: 0.86, leaves: 8);
        await RegisterAsync("acme-common", other with { Split = other.Split with { TestRows = 140, TestFrom = new DateTime(2026, 7, 1) } });

        var cut = RenderCompare("acme-common/churn-risk/1", "acme-common/churn-risk/2");

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#metrics-table")), Wait);
        Assert.Contains("their test splits differ", cut.Find("#different-rows").TextContent, StringComparison.Ordinal);
        cut.Find("#compare-common-rows").Click();
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("#common-rows-table tbody tr").Count == 2 || cut.FindAll("#common-rows-error").Count > 0), TimeSpan.FromMinutes(2));
        Assert.Empty(cut.FindAll("#common-rows-error").Select(e => e.TextContent));
        Assert.Equal("baseline", cut.Find("#common-rows-table tr[data-version='v1']").GetAttribute("data-verdict"));
        var v2 = cut.Find("#common-rows-table tr[data-version='v2']");
        Assert.Contains(v2.GetAttribute("data-verdict"), new[] { "better", "worse", "withinnoise" });
        Assert.Equal(2, v2.QuerySelectorAll(".cp-interval").Count(e => e.TextContent.StartsWith('[')));
        Assert.Contains("Dataset version 1", cut.Find("#common-rows-basis").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll("#common-rows-chart [data-interval-row] circle").Count);
        Assert.Contains("with its 95 % interval", cut.Find("#common-rows-chart").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_of_the_same_use_case_across_tenants_are_labelled_by_tenant_and_rmse_style_directions_hold()
    {
        await EnrollAsync("north-co");
        await EnrollAsync("south-co");
        await RegisterAsync("north-co", Reports.Binary(auc: 0.90, logLoss: 0.30));
        await RegisterAsync("south-co", Reports.Binary(auc: 0.70, logLoss: 0.60));

        var cut = RenderCompare("north-co/churn-risk/1", "south-co/churn-risk/1");

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#metrics-table")), Wait);
        Assert.Equal(["north-co · v1", "south-co · v1"], cut.FindAll("#metrics-table thead th[data-version]").Select(th => th.GetAttribute("data-version")));
        Assert.Equal("worse", cut.Find("tr[data-metric='auc'] td[data-version='south-co · v1'] .cp-delta").GetAttribute("data-verdict"));
        Assert.Equal("worse", cut.Find("tr[data-metric='logLoss'] td[data-version='south-co · v1'] .cp-delta").GetAttribute("data-verdict"));
        Assert.Equal(["north-co · v1", "south-co · v1"], cut.FindAll("#roc-chart [data-series]").Select(g => g.GetAttribute("data-series")));
    }

    [Fact]
    public async Task An_unknown_version_and_a_malformed_key_are_named_and_one_version_is_not_a_comparison()
    {
        await EnrollAsync("acme-missing");
        await RegisterAsync("acme-missing", Reports.Binary(auc: 0.8));

        var cut = RenderCompare("acme-missing/churn-risk/1", "acme-missing/churn-risk/9", "nonsense");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-compare-error]").Count), Wait);
        Assert.Contains("no version 9", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("'nonsense' is not a version", cut.Markup, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("#compare-pick-more"));
        Assert.Empty(cut.FindAll("#metrics-table"));
    }

    private IRenderedComponent<ComparePage> RenderCompare(params string[] keys)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/models/compare?" + string.Join('&', keys.Select(k => "v=" + Uri.EscapeDataString(k))));
        return Render<ComparePage>();
    }
}
