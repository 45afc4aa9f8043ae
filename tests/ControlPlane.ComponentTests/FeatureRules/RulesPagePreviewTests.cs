using Bunit;
using ControlPlane.ML.Rules;
using ControlPlane.Web.Components.FeatureRules;
using Xunit.Abstractions;

namespace ControlPlane.ComponentTests.FeatureRules;

/// <summary>The mapping assistant fills the draft, and the live preview follows every edit on the latest dataset's rows.</summary>
public sealed class RulesPagePreviewTests(ITestOutputHelper output) : RulesPageTestContext
{
    [Fact]
    public async Task Applying_the_suggested_mapping_makes_the_preview_run_and_an_edit_changes_its_values()
    {
        await EnrollAsync(withDataset: true);
        var cut = RenderPage();
        // The demo tenant names its columns in its own style: the inherited rules do not find them.
        cut.WaitForAssertion(() => Assert.Equal("invalid", cut.Find("#rule-preview").GetAttribute("data-state")), TimeSpan.FromSeconds(30));
        Assert.NotEmpty(cut.FindAll("[data-inherited='monthly_spend'] [data-error-path]"));

        cut.Find("#suggest-mapping").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#mapping-apply-all")), Wait);
        Assert.NotEmpty(cut.FindAll("[data-mapping-target='monthly_spend'] [data-candidate]"));
        cut.Find("#mapping-apply-all").Click();

        cut.WaitForAssertion(() => Assert.Equal("ready", cut.Find("#rule-preview").GetAttribute("data-state")), TimeSpan.FromSeconds(30));
        var before = PreviewValues(cut, "monthly_spend");
        output.WriteLine(string.Join(" | ", before));
        Assert.Equal(10, before.Count);

        cut.Find("#view-json").Click();
        var draft = RuleJson.Parse(cut.WaitForElement("#rules-json", Wait).GetAttribute("value")!);
        var spend = draft.Own("monthly_spend")!;
        EditJson(cut, RuleJson.Write(draft.WithFeature(spend with { Transform = NumberTransform.Log })));

        cut.WaitForAssertion(() => Assert.NotEqual(before, PreviewValues(cut, "monthly_spend")), TimeSpan.FromSeconds(30));
        output.WriteLine(string.Join(" | ", PreviewValues(cut, "monthly_spend")));
        Assert.Equal("ready", cut.Find("#rule-preview").GetAttribute("data-state"));
        // Only the edited feature's cells are marked as changed.
        var changed = cut.FindAll("#preview-features td[data-changed]").Select(td => td.GetAttribute("data-feature")).Distinct().ToList();
        Assert.Equal(["monthly_spend"], changed);
    }

    [Fact]
    public async Task Applying_one_suggestion_fills_that_features_source_and_saves_nothing()
    {
        await EnrollAsync(withDataset: true);
        var cut = RenderPage();
        cut.Find("#suggest-mapping").Click();
        var candidate = cut.WaitForElement("[data-mapping-target='seats'] [data-candidate]", Wait);
        var column = candidate.GetAttribute("data-candidate")!;
        Assert.NotEqual("seats", column);
        Assert.Contains("%", candidate.TextContent, StringComparison.Ordinal);

        candidate.QuerySelector("button")!.Click();

        cut.WaitForAssertion(() => Assert.Contains($"← {column}", cut.Find("[data-feature='seats'] [data-summary]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotEmpty(cut.FindAll("#rules-dirty"));
        Assert.Empty((await Rules.ListVersionsAsync(Tenant, UseCase)).Value!);
    }

    [Fact]
    public async Task Without_a_dataset_the_preview_says_so()
    {
        await EnrollAsync(withDataset: false);

        var cut = RenderPage();

        Assert.NotEmpty(cut.FindAll("#preview-no-data"));
        Assert.Equal("no-data", cut.Find("#rule-preview").GetAttribute("data-state"));
    }

    private static List<string> PreviewValues(IRenderedComponent<RulesPage> cut, string feature) =>
        cut.FindAll($"#preview-table tbody td[data-feature='{feature}']").Select(td => td.TextContent.Trim()).ToList();
}
