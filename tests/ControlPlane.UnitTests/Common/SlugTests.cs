using ControlPlane.Core.Common;

namespace ControlPlane.UnitTests.Common;

public class SlugTests
{
    [Theory]
    [InlineData("acme")]
    [InlineData("acme-corp-2")]
    [InlineData("a1b")]
    public void Valid_slugs_have_no_problem(string slug) => Assert.Null(Slug.Problem(slug));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("ab", "3 to 48")]
    [InlineData("Acme", "lowercase")]
    [InlineData("acme--corp", "single hyphens")]
    [InlineData("-acme", "start and end")]
    [InlineData("acme-", "start and end")]
    [InlineData("acme corp", "lowercase")]
    [InlineData("ac/me", "lowercase")]
    public void Invalid_slugs_are_explained(string? slug, string expected) =>
        Assert.Contains(expected, Slug.Problem(slug), StringComparison.Ordinal);

    [Fact]
    public void Overlong_slug_is_refused_with_its_length()
    {
        var slug = new string('a', 49);
        Assert.Contains("got 49", Slug.Problem(slug), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Acme Corp.", "acme-corp")]
    [InlineData("  Société Générale & Co  ", "societe-generale-co")]
    [InlineData("Northwind -- Traders", "northwind-traders")]
    [InlineData("", "")]
    public void Suggestions_are_valid_slugs(string name, string expected)
    {
        Assert.Equal(expected, Slug.Suggest(name));
        if (expected.Length >= Slug.MinLength)
        {
            Assert.Null(Slug.Problem(Slug.Suggest(name)));
        }
    }
}
