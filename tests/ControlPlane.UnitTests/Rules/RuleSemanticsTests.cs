using ControlPlane.Core.FeatureRules;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

public sealed class RuleSemanticsTests
{
    [Theory]
    [InlineData("""{"features":[{"name":"seats","source":"licenses"}],"drop":["nps_score"]}""")]
    [InlineData("""{"label":{"expression":"(d) => d > 15","inputs":["delay"]}}""")]
    [InlineData("{}")]
    public void Sound_rules_have_no_problems(string json) => Assert.Empty(RuleSemantics.Check(RuleJson.Parse(json)));

    [Theory]
    [InlineData("""{"features":[{"name":"seats"},{"name":" "}]}""", "features[1].name", "Feature rule 2 has no name.")]
    [InlineData("""{"features":[{"name":"seats "}]}""", "features[seats ].name", "starts or ends with a space")]
    [InlineData("""{"features":[{"name":"a","expression":"seats"},{"name":"b"},{"name":"a","source":"x"}]}""", "features[a].name", "rules 1 and 3")]
    [InlineData("""{"features":[{"name":"a","source":"x","expression":"seats * 2"}]}""", "features[a].source", "not both")]
    [InlineData("""{"features":[{"name":"a","source":"x","inputs":["x"]}]}""", "features[a].inputs", "only read by an expression")]
    [InlineData("""{"drop":["plan",""]}""", "drop[1]", "empty")]
    [InlineData("""{"drop":["plan","plan"]}""", "drop[1]", "dropped twice")]
    [InlineData("""{"features":[{"name":"plan","source":"tier"}],"drop":["plan"]}""", "drop[0]", "both dropped and defined in features[plan]")]
    [InlineData("""{"label":{}}""", "label", "There is no label")]
    [InlineData("""{"label":{"source":"won","expression":"x > 1"}}""", "label.source", "not both")]
    [InlineData("""{"label":{"source":" "}}""", "label.source", "Name the raw column")]
    [InlineData("""{"label":{"source":"won","inputs":["won"]}}""", "label.inputs", "only read by an expression")]
    [InlineData("""{"entityKey":""}""", "entityKey", "inherit the use case's column")]
    public void Contradictions_are_named_at_their_path(string json, string path, string message)
    {
        var errors = RuleSemantics.Check(RuleJson.Parse(json));

        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }
}
