using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

public sealed class RuleDiffTests
{
    private static readonly RuleDefaults Defaults = new(
        TaskType.Binary, "churned", "account_id", "snapshot_date",
        [new("seats", FeatureType.Number), new("plan", FeatureType.Category), new("monthly_spend", FeatureType.Number)]);

    private static RuleSet Effective(string overrides) => RuleInheritance.Effective(Defaults, RuleJson.Parse(overrides));

    [Fact]
    public void Equal_rule_sets_have_no_changes()
    {
        var rules = Effective("""{"features":[{"name":"seats","source":"licenses","clip":{"min":0}}]}""");

        Assert.Empty(RuleDiff.Compare(rules, Effective("""{"features":[{"name":"seats","source":"licenses","clip":{"min":0}}]}""")));
    }

    [Fact]
    public void A_changed_feature_is_reported_field_by_field_in_compact_json()
    {
        var before = Effective("""{"features":[{"name":"monthly_spend","source":"mrr","clip":{"min":0}}]}""");
        var after = Effective("""{"features":[{"name":"monthly_spend","source":"mrr_cents","scale":100,"clip":{"min":0,"max":5000}}]}""");

        var changes = RuleDiff.Compare(before, after);

        Assert.Equal(
            [
                new RuleChange("features[monthly_spend].source", "\"mrr\"", "\"mrr_cents\""),
                new RuleChange("features[monthly_spend].clip", """{"min":0}""", """{"min":0,"max":5000}"""),
                new RuleChange("features[monthly_spend].scale", null, "100"),
            ],
            changes);
    }

    [Fact]
    public void Added_and_removed_features_come_whole()
    {
        var before = Effective("{}");
        var after = Effective("""{"drop":["plan"],"features":[{"name":"spend_per_seat","expression":"monthly_spend / seats"}]}""");

        var changes = RuleDiff.Compare(before, after);

        Assert.Contains(new RuleChange("features[plan]", """{"name":"plan","type":"category"}""", null), changes);
        Assert.Contains(new RuleChange("features[spend_per_seat]", null, """{"name":"spend_per_seat","expression":"monthly_spend / seats"}"""), changes);
        Assert.Contains(new RuleChange("drop", null, """["plan"]"""), changes);
        Assert.Equal(3, changes.Count);
    }

    [Fact]
    public void Label_entity_key_and_event_time_changes_name_their_paths()
    {
        var before = Effective("{}");
        var after = Effective("""{"label":{"source":"status","positive":["Cancelled"]},"entityKey":"acct","eventTime":"as_of"}""");

        var changes = RuleDiff.Compare(before, after).ToDictionary(c => c.Path);

        Assert.Equal(("\"churned\"", "\"status\""), (changes["label.source"].Before, changes["label.source"].After));
        Assert.Equal((null, """["Cancelled"]"""), (changes["label.positive"].Before, changes["label.positive"].After));
        Assert.Equal("\"acct\"", changes["entityKey"].After);
        Assert.Equal("\"snapshot_date\"", changes["eventTime"].Before);
        Assert.Equal(4, changes.Count);
    }

    [Fact]
    public void A_label_switching_to_an_expression_shows_both_fields()
    {
        var changes = RuleDiff.Compare(Effective("{}"), Effective("""{"label":{"expression":"days_late > 15"}}"""));

        Assert.Equal(
            [new RuleChange("label.source", "\"churned\"", null), new RuleChange("label.expression", null, "\"days_late > 15\"")],
            changes);
    }

    [Fact]
    public void Reordering_added_features_is_a_change_of_the_features_order()
    {
        var before = Effective("""{"features":[{"name":"a","expression":"seats * 2"},{"name":"b","expression":"a + 1"}]}""");
        var after = Effective("""{"features":[{"name":"b","expression":"a + 1"},{"name":"a","expression":"seats * 2"}]}""");

        var change = Assert.Single(RuleDiff.Compare(before, after));

        Assert.Equal("features", change.Path);
        Assert.Equal("""["seats","plan","monthly_spend","a","b"]""", change.Before);
        Assert.Equal("""["seats","plan","monthly_spend","b","a"]""", change.After);
    }

    [Fact]
    public void Enum_values_are_written_in_the_rules_own_spelling()
    {
        var before = Effective("""{"features":[{"name":"plan","encoding":"oneHot"}]}""");
        var after = Effective("""{"features":[{"name":"plan","encoding":"hashed","maxCategories":64}]}""");

        var changes = RuleDiff.Compare(before, after);

        Assert.Contains(new RuleChange("features[plan].encoding", "\"oneHot\"", "\"hashed\""), changes);
        Assert.Contains(new RuleChange("features[plan].maxCategories", null, "64"), changes);
    }
}
