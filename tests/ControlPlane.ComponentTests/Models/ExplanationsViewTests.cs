using Bunit;
using ControlPlane.ML.Training;
using ControlPlane.Web.Components.Models;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests.Models;

/// <summary>Per-row explanations: one contribution chart at a time, for the row picked.</summary>
public sealed class ExplanationsViewTests : BunitContext, IAsyncLifetime
{
    public ExplanationsViewTests()
    {
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that can only be disposed asynchronously.
    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    [Fact]
    public void Picking_a_row_draws_its_contributions_largest_first_coloured_by_sign()
    {
        var cut = Render<ExplanationsView>(p => p.Add(x => x.Rows,
        [
            new RowExplanation("acct-1", "0.83", [new FeatureContribution("tenure", 0.4)]),
            new RowExplanation(null, "0.12", [new FeatureContribution("plan", 0.05), new FeatureContribution("logins", -0.6)]),
        ]));
        Assert.Contains("acct-1", cut.Find("#explained-score").TextContent, StringComparison.Ordinal);

        cut.Find("#explained-rows [data-row='1']").Click();

        cut.WaitForAssertion(() => Assert.Contains("row 2 · score 0.12", cut.Find("#explained-score").TextContent, StringComparison.Ordinal));
        Assert.Equal(["logins", "plan"], cut.FindAll("#contribution-chart [data-bar-group]").Select(g => g.GetAttribute("data-bar-group")));
        Assert.Equal(VersionColors.Negative, cut.Find("[data-bar-group='logins'] rect").GetAttribute("fill"));
        Assert.Equal(VersionColors.Positive, cut.Find("[data-bar-group='plan'] rect").GetAttribute("fill"));
    }
}
