using Bunit;
using ControlPlane.Core.Security;

namespace ControlPlane.ComponentTests.FeatureRules;

/// <summary>Errors from the rules service appear at the exact rule and field, and nothing is saved while there are any.</summary>
public sealed class RulesPageErrorTests : RulesPageTestContext
{
    [Fact]
    public async Task A_missing_column_is_shown_at_the_feature_source_field_and_nothing_is_saved()
    {
        await EnrollAsync(withDataset: true);
        var cut = RenderPage();
        EditJson(cut, """{ "features": [ { "name": "seats", "source": "no_such_column" } ] }""");
        ShowForm(cut);

        Save(cut, "map seats");

        cut.WaitForAssertion(() =>
        {
            var error = cut.Find("[data-feature='seats'] [data-error-path='features[seats].source']");
            Assert.Contains("no_such_column", error.TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.NotEmpty(cut.FindAll("[data-feature-error='seats']"));
        Assert.NotEmpty(cut.FindAll("#no-rule-versions"));
        Assert.Empty((await Rules.ListVersionsAsync(Tenant, UseCase)).Value!);
    }

    [Fact]
    public async Task An_expression_that_does_not_parse_is_shown_at_the_expression_field()
    {
        await EnrollAsync(withDataset: true);
        var cut = RenderPage();
        EditJson(cut, """{ "features": [ { "name": "spend_per_seat", "expression": "monthly_spend / * seats" } ] }""");
        ShowForm(cut);

        Save(cut, "derive spend per seat");

        cut.WaitForAssertion(() =>
            Assert.NotEmpty(cut.Find("[data-feature='spend_per_seat'] [data-error-path='features[spend_per_seat].expression']").TextContent.Trim()),
            Wait);
        Assert.Empty((await Rules.ListVersionsAsync(Tenant, UseCase)).Value!);
    }

    [Fact]
    public async Task A_source_and_an_expression_together_are_refused_at_the_source_field()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();
        EditJson(cut, """{ "features": [ { "name": "seats", "source": "seat_count", "expression": "seat_count * 2" } ] }""");
        ShowForm(cut);

        Save(cut, "both");

        cut.WaitForAssertion(() => Assert.Contains("not both",
            cut.Find("[data-feature='seats'] [data-error-path='features[seats].source']").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty((await Rules.ListVersionsAsync(Tenant, UseCase)).Value!);
    }

    [Fact]
    public async Task A_drop_entry_named_twice_is_shown_at_its_chip()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();
        EditJson(cut, """{ "drop": ["nps_score", "nps_score"] }""");
        ShowForm(cut);

        Save(cut, "drop twice");

        cut.WaitForAssertion(() => Assert.Contains("dropped twice", cut.Find("#rule-drops [data-error-path='drop[1]']").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("#rule-drops [data-error-path='drop[0]']"));
        Assert.Empty((await Rules.ListVersionsAsync(Tenant, UseCase)).Value!);
    }

    [Fact]
    public async Task A_json_syntax_error_is_listed_with_its_line_and_keeps_the_json_view_open()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();

        EditJson(cut, "{\n  \"features\": [\n    { \"name\": \"seats\" \"scale\": 60 }\n  ]\n}");

        var error = cut.Find("#rules-json-errors");
        Assert.Contains("line 3", error.TextContent, StringComparison.Ordinal);
        cut.Find("#view-form").Click();
        Assert.NotEmpty(cut.FindAll("#rules-json"));
        Assert.Empty(cut.FindAll("#rule-features"));
    }

    [Fact]
    public async Task A_misspelt_field_is_listed_with_its_path_in_the_json_view()
    {
        await EnrollAsync(withDataset: false);
        var cut = RenderPage();

        EditJson(cut, """{ "features": [ { "name": "seats", "scael": 60 } ] }""");

        Assert.Contains("scael", cut.Find("#rules-json-errors").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_sees_the_rules_read_only_without_save()
    {
        Auth.SetPolicies(Policies.Read);
        await EnrollAsync(withDataset: false);

        var cut = RenderPage();

        Assert.Empty(cut.FindAll("#rules-save"));
        Assert.NotEmpty(cut.FindAll("#rules-read-only"));
        Assert.Empty(cut.FindAll("[data-override]"));
        Assert.NotEmpty(cut.FindAll("[data-inherited='seats']"));
    }
}
