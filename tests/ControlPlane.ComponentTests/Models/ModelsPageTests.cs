using Bunit;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Security;
using ControlPlane.Web.Components.Models;

namespace ControlPlane.ComponentTests.Models;

public sealed class ModelsPageTests : ModelsTestContext
{
    private const string Tenant = "acme-models";

    [Fact]
    public async Task The_versions_are_listed_newest_first_with_headline_lineage_and_alias_chips()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.80));
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.84));
        var gate = await Registry.GateAsync(Tenant, UseCase, 2, "test");
        Assert.True(gate.IsOk, gate.Message);

        var cut = RenderPage();

        Assert.Equal(["v2", "v1"], cut.FindAll("#model-versions tbody tr").Select(r => r.GetAttribute("data-version")));
        var v2 = cut.Find("#model-versions tr[data-version='v2']");
        Assert.Contains("ROC AUC 0.8400", v2.TextContent, StringComparison.Ordinal);
        Assert.Equal(["champion", "challenger"], v2.QuerySelectorAll("[data-alias]").Select(c => c.GetAttribute("data-alias")).Order().Reverse());
        Assert.Equal("/tenants/acme-models/use-cases/churn-risk/models/2", v2.QuerySelector("[data-version-link]")!.GetAttribute("href"));
        Assert.NotEmpty(cut.FindAll("#headline-trend svg"));
        Assert.NotEmpty(cut.FindAll("#alias-history tr[data-alias='champion']"));
    }

    [Fact]
    public async Task Promoting_requires_a_reason_and_the_move_lands_in_the_alias_history()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.80));
        var cut = RenderPage();

        cut.Find("#model-versions tr[data-version='v1'] [data-promote='champion']").Click();

        var confirm = Dialogs.WaitForElement("#reason-confirm", Wait);
        Assert.True(confirm.HasAttribute("disabled"));
        Dialogs.Find("#reason-input").Input("   ");
        Dialogs.WaitForAssertion(() => Assert.Contains("A reason is required", Dialogs.Markup, StringComparison.Ordinal), Wait);
        Assert.True(Dialogs.Find("#reason-confirm").HasAttribute("disabled"));
        Assert.Empty((await Registry.HistoryAsync(Tenant, UseCase)).Value!);

        Dialogs.Find("#reason-input").Input("First model, checked by hand");
        Dialogs.WaitForAssertion(() => Assert.False(Dialogs.Find("#reason-confirm").HasAttribute("disabled")), Wait);
        Dialogs.Find("#reason-confirm").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#alias-history tr[data-alias='champion']")), Wait);
        Assert.Contains("First model, checked by hand", cut.Find("#alias-history tr[data-alias='champion']").TextContent, StringComparison.Ordinal);
        Dialogs.WaitForAssertion(() => Assert.Empty(Dialogs.FindAll("#reason-confirm")), Wait);
        var history = Assert.Single((await Registry.HistoryAsync(Tenant, UseCase)).Value!);
        Assert.Equal(("champion", 1, "admin@test.local", false), (history.Alias, history.To.Number, history.Actor, history.Automatic));
        Assert.NotEmpty(cut.FindAll("#model-versions tr[data-version='v1'] [data-alias='champion']"));
    }

    [Fact]
    public async Task Viewers_see_the_versions_but_no_promote_or_roll_back()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.80));
        Auth.SetRoles("Viewer");
        Auth.SetPolicies(Policies.Read);

        var cut = RenderPage();

        Assert.Single(cut.FindAll("#model-versions tbody tr"));
        Assert.Empty(cut.FindAll("[data-promote]"));
        Assert.Empty(cut.FindAll("#rollback"));
    }

    [Fact]
    public async Task Rolling_back_puts_the_previous_champion_back_with_the_reason()
    {
        await EnrollAsync(Tenant);
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.80));
        await RegisterAsync(Tenant, Reports.Binary(auc: 0.82));
        Assert.True((await Registry.PromoteAsync(Tenant, UseCase, 1, AliasNames.Champion, "test", "first")).IsOk);
        Assert.True((await Registry.PromoteAsync(Tenant, UseCase, 2, AliasNames.Champion, "test", "better")).IsOk);
        var cut = RenderPage();

        cut.Find("#rollback").Click();
        Dialogs.WaitForElement("#reason-input", Wait);
        Dialogs.Find("#reason-input").Input("v2 mis-scores new accounts");
        Dialogs.WaitForAssertion(() => Assert.False(Dialogs.Find("#reason-confirm").HasAttribute("disabled")), Wait);
        Dialogs.Find("#reason-confirm").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#model-versions tr[data-version='v1'] [data-alias='champion']")), Wait);
        Assert.Contains("v2 mis-scores new accounts", cut.Find("#alias-history tbody tr").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_enrollment_without_versions_says_there_is_no_model_yet()
    {
        await EnrollAsync(Tenant);

        var cut = Render<ModelsPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, UseCase));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#no-models")), Wait);
    }

    private IRenderedComponent<ModelsPage> RenderPage()
    {
        var cut = Render<ModelsPage>(p => p.Add(x => x.Slug, Tenant).Add(x => x.UseCase, UseCase));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#model-versions")), Wait);
        return cut;
    }
}
