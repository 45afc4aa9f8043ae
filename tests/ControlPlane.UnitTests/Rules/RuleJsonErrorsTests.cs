using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

/// <summary>Parse errors from <see cref="RuleJson"/> speak of the rules, not of .NET, whoever calls it.</summary>
public sealed class RuleJsonErrorsTests
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

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain(".NET", error.Message);
    }

    [Fact]
    public void Parse_throws_the_same_readable_error()
    {
        var thrown = Assert.Throws<RuleSetException>(() => RuleJson.Parse("""{"features":[{"name":"seats","sourc":"licenses"}]}"""));

        var error = Assert.Single(thrown.Errors);
        Assert.Equal("features[0].sourc", error.Path);
        Assert.StartsWith("Unknown field 'sourc'", error.Message);
    }
}
