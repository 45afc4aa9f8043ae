using Bunit;
using ControlPlane.Web.Components.Models;

namespace ControlPlane.ComponentTests.Models;

public sealed class VersionPageTests : ModelsTestContext
{
    private const string Tenant = "acme-version";

    [Fact]
    public async Task The_page_shows_lineage_fingerprint_curves_and_contributions_coloured_by_sign()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));

        var cut = RenderVersion(1);

        Assert.Contains("v1", cut.Find("#lineage tr[data-lineage='dataset']").TextContent, StringComparison.Ordinal);
        Assert.Contains("300 rows", cut.Find("#lineage tr[data-lineage='dataset']").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/tenants/{Tenant}/use-cases/churn-risk/rules", cut.Find("#lineage tr[data-lineage='rules'] a").GetAttribute("href"));
        Assert.Contains("leaves=20", cut.Find("#lineage tr[data-lineage='hyperparameters']").TextContent, StringComparison.Ordinal);
        Assert.Equal("fp-auc-0.8", cut.Find("#fingerprint").TextContent);
        Assert.Single(cut.FindAll("#roc-chart polyline"));
        Assert.Equal(VersionColors.Positive, cut.Find("#contribution-chart [data-bar-group='tenure'] rect").GetAttribute("fill"));
        Assert.Equal(VersionColors.Negative, cut.Find("#contribution-chart [data-bar-group='plan'] rect").GetAttribute("fill"));
        Assert.NotNull(cut.Find("#candidates-table tr.cp-diff-cell[data-candidate='fasttree']"));
        Assert.Empty(cut.FindAll("[data-reproduction]"));
    }

    [Fact]
    public async Task Versions_trained_the_same_way_are_listed_as_reproduced_or_not_by_their_fingerprints()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8));
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.81));
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.8, leaves: 63));

        var cut = RenderVersion(1);

        Assert.Equal(["v3", "v2"], cut.FindAll("[data-reproduction]").Select(e => e.GetAttribute("data-reproduction")));
        Assert.Equal("true", cut.Find("[data-reproduction='v2']").GetAttribute("data-same"));
        Assert.Equal("false", cut.Find("[data-reproduction='v3']").GetAttribute("data-same"));
    }

    [Fact]
    public async Task A_version_that_does_not_exist_is_named()
    {
        await EnrollAsync(Tenant);

        var cut = Render<VersionPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, UseCase).Add(x => x.Number, 7));

        cut.WaitForAssertion(() => Assert.Contains("no version 7", cut.Find("#version-error").TextContent, StringComparison.Ordinal), Wait);
    }

    private IRenderedComponent<VersionPage> RenderVersion(int number)
    {
        var cut = Render<VersionPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, UseCase).Add(x => x.Number, number));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#lineage")), Wait);
        return cut;
    }
}
