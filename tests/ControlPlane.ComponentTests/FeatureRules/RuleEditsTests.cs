using ControlPlane.ML.Rules;
using ControlPlane.Web.Components.FeatureRules;

namespace ControlPlane.ComponentTests.FeatureRules;

/// <summary>The form's edits of a draft rule set, and the text fields that parse into rule values.</summary>
public sealed class RuleEditsTests
{
    [Fact]
    public void Overriding_replaces_a_rule_in_place_and_resetting_removes_it()
    {
        var draft = new RuleSet { Features = [new FeatureRule { Name = "seats" }, new FeatureRule { Name = "plan" }] };

        var scaled = draft.WithFeature(new FeatureRule { Name = "seats", Scale = 60 });

        Assert.Equal(["seats", "plan"], scaled.Features.Select(f => f.Name));
        Assert.Equal(60, scaled.Own("seats")!.Scale);
        Assert.Null(scaled.WithoutFeature("seats").Own("seats"));
        Assert.Null(draft.Own("seats")!.Scale);
    }

    [Fact]
    public void Dropping_twice_keeps_one_entry_and_restoring_removes_it()
    {
        var dropped = new RuleSet().Dropping("nps_score").Dropping("nps_score");

        Assert.Equal(["nps_score"], dropped.Drop);
        Assert.Empty(dropped.Restoring("nps_score").Drop);
    }

    [Fact]
    public void Mapping_a_target_sets_its_source_and_clears_an_expression()
    {
        var draft = new RuleSet
        {
            Label = new LabelRule { Expression = "delay > 15", Positive = ["Y"] },
            Features = [new FeatureRule { Name = "spend", Expression = "a + b", Inputs = ["a", "b"], Scale = 100 }],
        };

        var mapped = draft.Mapping("label", "churned").Mapping("spend", "monthly_bill").Mapping("seats", "licenses")
            .Mapping("entityKey", "acct").Mapping("eventTime", "as_of");

        Assert.Equal(new LabelRule { Source = "churned", Positive = draft.Label.Positive }, mapped.Label);
        var spend = mapped.Own("spend")!;
        Assert.Equal(("monthly_bill", null, null, 100d), (spend.Source, spend.Expression, spend.Inputs, spend.Scale));
        Assert.Equal("licenses", mapped.Own("seats")!.Source);
        Assert.Equal(("acct", "as_of"), (mapped.EntityKey, mapped.EventTime));
    }

    [Fact]
    public void Bucket_bounds_parse_or_name_the_part_that_is_not_a_number()
    {
        Assert.True(RuleEdits.TryNumbers(" 10, 100.5 ,1e3", out var bounds, out _));
        Assert.Equal([10, 100.5, 1000], bounds!);
        Assert.True(RuleEdits.TryNumbers("  ", out var none, out _));
        Assert.Null(none);

        Assert.False(RuleEdits.TryNumbers("10, ten", out _, out var error));
        Assert.Equal("'ten' is not a number.", error);
        Assert.Equal("10, 100.5", RuleEdits.Numbers([10, 100.5]));
    }

    [Fact]
    public void A_values_map_round_trips_through_its_text_and_a_line_without_equals_is_named()
    {
        Assert.True(RuleEdits.TryValueMap("ENT = enterprise\n\nSMB=small_business\n", out var map, out _));
        Assert.Equal("enterprise", map!["ENT"]);
        Assert.Equal("small_business", map["SMB"]);
        Assert.Equal("ENT = enterprise\nSMB = small_business", RuleEdits.ValueMap(map));

        Assert.False(RuleEdits.TryValueMap("ENT enterprise", out _, out var error));
        Assert.Equal("'ENT enterprise' is not 'spelling = value'.", error);
    }

    [Fact]
    public void Errors_a_feature_card_has_no_field_for_are_listed_once_as_other()
    {
        var errors = new RuleErrorIndex(new Dictionary<string, string[]>
        {
            ["features[seats].clip.min"] = ["min above max"],
            ["features[seats].buckets[1]"] = ["not ascending"],
            ["features[seats]"] = ["unknown feature"],
            ["features[seats].dateParts"] = ["not a date"],
            ["features[plan].source"] = ["no column"],
        });

        var other = errors.OtherForFeature("seats", new HashSet<string> { "clip", "buckets" }).Select(e => e.Path);

        Assert.Equal(["features[seats]", "features[seats].dateParts"], other);
        Assert.True(errors.AnyForFeature("seats"));
        Assert.False(errors.AnyForFeature("tenure_months"));
        Assert.Equal(["no column"], errors.Feature("plan", "source"));
    }
}
