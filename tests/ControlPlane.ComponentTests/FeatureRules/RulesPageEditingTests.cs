using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using ControlPlane.ML.Rules;
using ControlPlane.Web.Components.FeatureRules;

namespace ControlPlane.ComponentTests.FeatureRules;

/// <summary>Editing in the form and the JSON view, saving versions, and the diff between them.</summary>
public sealed class RulesPageEditingTests : RulesPageTestContext
{
    [Fact]
    public async Task An_edit_in_the_form_survives_switching_to_json_and_back()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();

        cut.Find("[data-override='seats']").Click();
        cut.Find("[data-field='features[seats].scale']").Change("60");
        cut.WaitForAssertion(() => Assert.Contains("÷ 60", cut.Find("[data-feature='seats'] [data-summary]").TextContent, StringComparison.Ordinal), Wait);
        cut.Find("#view-json").Click();

        cut.WaitForAssertion(() =>
        {
            var parsed = RuleJson.Parse(cut.Find("#rules-json").GetAttribute("value")!);
            Assert.Equal(60, Assert.Single(parsed.Features, f => f.Name == "seats").Scale);
        }, Wait);

        cut.Find("#view-form").Click();
        cut.WaitForAssertion(() => Assert.Equal("60", cut.Find("[data-field='features[seats].scale']").GetAttribute("value")), Wait);
        Assert.NotEmpty(cut.FindAll("#rules-dirty"));
    }

    [Fact]
    public async Task An_edit_in_json_shows_in_the_form_and_saving_makes_a_version()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();
        EditJson(cut, """{ "features": [ { "name": "monthly_spend", "scale": 100, "transform": "log" } ], "drop": ["nps_score"] }""");
        ShowForm(cut);

        Assert.NotEmpty(cut.FindAll("[data-feature='monthly_spend']"));
        Assert.Empty(cut.FindAll("[data-inherited='nps_score']"));
        Assert.NotEmpty(cut.FindAll("#rule-drops [data-drop-entry='nps_score']"));
        Save(cut, "spend in dollars");

        cut.WaitForAssertion(() => Assert.Equal("v1", cut.Find("#rules-version").TextContent.Trim()), Wait);
        Assert.Contains("spend in dollars", cut.Find("#rule-version-list [data-rule-version='1']").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#rules-dirty"));
        var saved = (await Rules.GetAsync(Tenant, UseCase)).Value!;
        Assert.Equal(NumberTransform.Log, saved.Overrides.Features.Single().Transform);
    }

    [Fact]
    public async Task Bucket_bounds_that_are_not_numbers_are_refused_at_the_field_and_leave_the_rule_unchanged()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();
        EditJson(cut, """{ "features": [ { "name": "seats", "transform": "bucketize", "buckets": [1, 10] } ] }""");
        ShowForm(cut);
        cut.Find("[data-feature='seats'] > div").Click();

        cut.WaitForElement("[data-field='features[seats].buckets']", Wait).Change("1, ten, 100");

        cut.WaitForAssertion(() => Assert.Equal("'ten' is not a number.",
            cut.Find("[data-feature='seats'] [data-error-path='features[seats].buckets']").TextContent.Trim()), Wait);
        cut.Find("#view-json").Click();
        var draft = RuleJson.Parse(cut.WaitForElement("#rules-json", Wait).GetAttribute("value")!);
        Assert.Equal([1d, 10d], draft.Features.Single().Buckets!);
    }

    [Fact]
    public async Task Leaving_with_unsaved_changes_asks_first_and_stays_when_declined()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();
        var navigation = Services.GetRequiredService<NavigationManager>();
        var start = navigation.Uri;
        var confirm = JSInterop.Setup<bool>("confirm", _ => true);
        cut.Find("[data-drop='plan']").Click();
        cut.WaitForElement("#rules-dirty", Wait);

        confirm.SetResult(false);
        await cut.InvokeAsync(() => navigation.NavigateTo("/tenants"));

        Assert.Single(confirm.Invocations);
        Assert.Equal(start, navigation.Uri);
    }

    [Fact]
    public async Task The_effective_view_merges_the_draft_onto_the_use_case_defaults()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();
        EditJson(cut, """{ "features": [ { "name": "seats", "scale": 60 } ], "drop": ["nps_score"] }""");

        cut.Find("#view-effective").Click();

        var effective = RuleJson.Parse(cut.WaitForElement("#rules-effective pre", Wait).TextContent);
        Assert.Equal(60, effective.Features.Single(f => f.Name == "seats").Scale);
        Assert.Equal(ML.FeatureType.Number, effective.Features.Single(f => f.Name == "seats").Type);
        Assert.DoesNotContain(effective.Features, f => f.Name == "nps_score");
        Assert.Contains(effective.Features, f => f.Name == "plan");
        Assert.Equal("churned", effective.Label!.Source);
    }

    [Fact]
    public async Task The_diff_between_two_versions_lists_the_changed_field_before_and_after()
    {
        await EnrollAsync(withDataset: false);
        await SaveDirectlyAsync(new RuleSet { Features = [new FeatureRule { Name = "seats", Scale = 60 }] }, "hours");
        await SaveDirectlyAsync(new RuleSet { Features = [new FeatureRule { Name = "seats", Scale = 100 }] }, "hundreds");
        var cut = RenderPage();

        var panel = cut.FindComponent<RuleVersionsPanel>();
        await cut.InvokeAsync(() => panel.Instance.CompareAsync(1, 2));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#rule-diff [data-change-path='features[seats].scale']")), Wait);
        var change = cut.Find("#rule-diff [data-change-path='features[seats].scale']");
        Assert.Contains("60", change.QuerySelector("[data-before]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("100", change.QuerySelector("[data-after]")!.TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("#rule-diff [data-change-path]"));
    }

    [Fact]
    public async Task The_diff_against_the_unsaved_draft_shows_an_edit_before_it_is_saved()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();
        cut.Find("[data-drop='plan']").Click();

        cut.Find("#diff-compare").Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#rule-diff [data-change-path]")), Wait);
        Assert.Contains(cut.FindAll("#rule-diff [data-change-path]"), c => c.TextContent.Contains("plan", StringComparison.Ordinal));
    }
}
