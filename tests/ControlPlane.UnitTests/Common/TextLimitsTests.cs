using ControlPlane.Core.Common;

namespace ControlPlane.UnitTests.Common;

public class TextLimitsTests
{
    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("exactly10!", 10, "exactly10!")]
    [InlineData("eleven char", 10, "eleven ch…")]
    public void Text_longer_than_the_limit_ends_in_an_ellipsis_within_it(string text, int max, string expected)
    {
        var clipped = TextLimits.Clip(text, max);

        Assert.Equal(expected, clipped);
        Assert.True(clipped.Length <= max);
    }
}
