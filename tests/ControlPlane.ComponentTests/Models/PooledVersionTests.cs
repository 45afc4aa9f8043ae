using Bunit;
using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using ControlPlane.Web.Components.Home;
using ControlPlane.Web.Components.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.ComponentTests.Models;

/// <summary>A tenant served by the pooled model of its use case and region: listed, opened and shown on the home matrix.</summary>
public sealed class PooledVersionTests : ModelsTestContext
{
    [Fact]
    public async Task A_pooled_champion_is_listed_opens_on_its_own_page_and_shows_on_the_home_matrix()
    {
        await EnrollAsync("north-pool");
        await EnrollAsync("south-pool");
        var pooled = await Registry.RegisterPooledAsync(
            new PooledRegistration(UseCase, "us", [await SourceAsync("north-pool"), await SourceAsync("south-pool")], Reports.Binary(auc: 0.77), "test:retrain-all"),
            new MemoryStream([1, 2, 3]));
        Assert.True(pooled.IsOk, pooled.Message);
        var promoted = await Registry.PromotePooledAsync("north-pool", UseCase, pooled.Value!.Number, AliasNames.Champion, "test", "too little data of its own");
        Assert.True(promoted.IsOk, promoted.Message);

        var models = Render<ModelsPage>(p => p.Add(x => x.Slug, "north-pool").Add(x => x.UseCase, UseCase));
        models.WaitForAssertion(() => Assert.NotEmpty(models.FindAll("#model-versions tr[data-version='pooled v1']")), Wait);
        var row = models.Find("#model-versions tr[data-version='pooled v1']");
        Assert.NotNull(row.QuerySelector("[data-alias='champion']"));
        Assert.Equal("/tenants/north-pool/use-cases/churn-risk/models/pooled/1", row.QuerySelector("[data-version-link]")!.GetAttribute("href"));

        var page = Render<VersionPage>(p => p.Add(x => x.Slug, "north-pool").Add(x => x.UseCase, UseCase).Add(x => x.PooledNumber, 1));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#lineage")), Wait);
        var sources = page.Find("#lineage tr[data-lineage='pooled-sources']").TextContent;
        Assert.Contains("2 tenants", sources, StringComparison.Ordinal);
        Assert.Contains("south-pool", sources, StringComparison.Ordinal);
        Assert.Single(page.FindAll("#roc-chart polyline"));

        var home = Render<Home>();
        home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("tr[data-tenant='north-pool']")), Wait);
        Assert.Equal("pooled-1", home.Find("tr[data-tenant='north-pool'] [data-champion]").GetAttribute("data-champion"));
        Assert.Contains("pooled v1", home.Find("tr[data-tenant='north-pool'] [data-champion]").TextContent, StringComparison.Ordinal);
        Assert.Equal("none", home.Find("tr[data-tenant='south-pool'] [data-champion]").GetAttribute("data-champion"));
    }

    private async Task<PooledSource> SourceAsync(string tenant)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        var dataset = await db.DatasetVersions.AsNoTracking().SingleAsync(d => d.Enrollment!.Tenant!.Slug == tenant);
        return new PooledSource(tenant, dataset.Id, dataset.Number, dataset.Sha256, 1);
    }
}
