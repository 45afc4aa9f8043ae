using Bunit;
using ControlPlane.Core.Registry;
using ControlPlane.Web.Components.Home;

namespace ControlPlane.ComponentTests.Models;

public sealed class HomeMatrixChampionTests : ModelsTestContext
{
    [Fact]
    public async Task Each_cell_shows_its_champion_with_age_and_headline_or_no_model_yet()
    {
        await EnrollAsync("alpha-home");
        await EnrollAsync("beta-home");
        await RegisterAsync("alpha-home", Reports.Binary(auc: 0.80));
        await RegisterAsync("alpha-home", Reports.Binary(auc: 0.87));
        Assert.True((await Registry.PromoteAsync("alpha-home", UseCase, 2, AliasNames.Champion, "test", "best so far")).IsOk);

        var cut = Render<Home>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#home-matrix tr[data-tenant='alpha-home']")), Wait);
        var alpha = cut.Find("tr[data-tenant='alpha-home'] td[data-use-case='churn-risk'] [data-champion]");
        Assert.Equal("2", alpha.GetAttribute("data-champion"));
        Assert.Contains("v2", alpha.TextContent, StringComparison.Ordinal);
        Assert.Contains("ROC AUC 0.870", alpha.TextContent, StringComparison.Ordinal);
        Assert.Equal("trained just now", alpha.QuerySelector("[data-age]")!.TextContent.Trim());
        Assert.Equal("/tenants/alpha-home/use-cases/churn-risk/models", alpha.QuerySelector("a")!.GetAttribute("href"));

        var beta = cut.Find("tr[data-tenant='beta-home'] td[data-use-case='churn-risk'] [data-champion]");
        Assert.Equal("none", beta.GetAttribute("data-champion"));
        // Data but no model: the cell leads to the data page, where its validation and Retrain are.
        var next = beta.QuerySelector("a[data-next]")!;
        Assert.Equal(("train", "/tenants/beta-home/use-cases/churn-risk"), (next.GetAttribute("data-next"), next.GetAttribute("href")));
        Assert.Contains("no model yet — train it", next.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(30, "just now")]
    [InlineData(60 * 5, "5 min ago")]
    [InlineData(60 * 60 * 3, "3 h ago")]
    [InlineData(60 * 60 * 24 * 4, "4 d ago")]
    public void Ages_are_in_the_largest_whole_unit(int seconds, string expected)
    {
        var now = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal(expected, ChampionAge.Of(now.AddSeconds(-seconds), now));
    }
}
