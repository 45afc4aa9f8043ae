using ControlPlane.Core.FeatureRules;
using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

public sealed class RuleParseMessagesTests
{
    [Theory]
    [InlineData("""{"features":[{"name":"seats","sourc":"licenses"}]}""", "features[0].sourc",
        "Unknown field 'sourc': check its spelling (field names are camelCase) (line 1, position 38).")]
    [InlineData("""{"features":[{"name":"seats","type":"numeric"}]}""", "features[0].type",
        "'type' must be one of: number, category, text, boolean, dateTime (line 1, position 46).")]
    [InlineData("""{"features":{"name":"seats"}}""", "features", "'features' has the wrong kind of value here: expected a list [ ... ]")]
    [InlineData("""{"label":"churned"}""", "label", "'label' has the wrong kind of value here: expected an object { ... }")]
    [InlineData("""{"features":[{"name":"seats",""", "features[0]", "reached end of data. (line 1, position 29)")]
    public void Json_errors_are_told_in_the_rules_words(string json, string path, string message)
    {
        Assert.False(RuleJson.TryParse(json, out _, out var error));

        var friendly = RuleParseMessages.Friendly(error);

        Assert.Equal(path, friendly.Path);
        Assert.Contains(message, friendly.Message);
        Assert.DoesNotContain(".NET", friendly.Message);
    }
}
