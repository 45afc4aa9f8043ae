using ControlPlane.Core.Registry;

namespace ControlPlane.UnitTests.Registry;

public class PromotionGateTests
{
    [Fact]
    public void Without_a_champion_the_challenger_is_promoted()
    {
        var (promote, reason) = PromotionGate.Decide("auc", 0.55, null, higherIsBetter: true, tolerance: 0.01, sameTestData: false);

        Assert.True(promote);
        Assert.Equal("No champion yet: the challenger (auc 0.55) becomes champion.", reason);
    }

    [Theory]
    [InlineData(0.81, true, "Not worse")]
    [InlineData(0.80, true, "Not worse")]
    [InlineData(0.7921, true, "within the tolerance of 0.008 (1 % of the champion)")]
    [InlineData(0.79, false, "beyond the tolerance of 0.008 (1 % of the champion)")]
    public void A_higher_is_better_metric_may_drop_by_the_tolerance_share_of_the_champion(double challenger, bool expected, string because)
    {
        var (promote, reason) = PromotionGate.Decide("auc", challenger, 0.80, higherIsBetter: true, tolerance: 0.01, sameTestData: true);

        Assert.Equal(expected, promote);
        Assert.Contains(because, reason);
        Assert.Contains("on the challenger's test split", reason);
    }

    [Theory]
    [InlineData(9.0, true)]
    [InlineData(10.4, true)]
    [InlineData(10.6, false)]
    public void A_lower_is_better_metric_may_rise_by_the_tolerance_share_of_the_champion(double challenger, bool expected)
    {
        var (promote, reason) = PromotionGate.Decide("rmse", challenger, 10.0, higherIsBetter: false, tolerance: 0.05, sameTestData: false);

        Assert.Equal(expected, promote);
        Assert.Contains("stored headlines", reason);
    }

    [Fact]
    public void A_zero_tolerance_promotes_only_a_version_at_least_as_good()
    {
        Assert.True(PromotionGate.Decide("macroAccuracy", 0.7, 0.7, true, 0, true).Promote);
        Assert.False(PromotionGate.Decide("macroAccuracy", 0.6999, 0.7, true, 0, true).Promote);
    }

    [Fact]
    public void A_negative_tolerance_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PromotionGate.Decide("auc", 0.7, 0.7, true, -0.1, true));
    }
}
