using ControlPlane.Web.Components.Models;

namespace ControlPlane.ComponentTests.Models;

public sealed class ChartScaleTests
{
    [Fact]
    public void Version_numbers_get_whole_ticks_and_equal_values_a_narrow_range_around_them()
    {
        var versions = ChartScale.Fit([1, 2], 0, 100);
        Assert.Equal([1d, 2d], versions.Ticks(integers: true));

        var flat = ChartScale.Fit([0.803, 0.803], 100, 0);
        Assert.InRange(flat.Min, 0.76, 0.80);
        Assert.InRange(flat.Max, 0.806, 0.85);
        Assert.Equal(50, flat.Map(0.803), 3);
    }

    [Fact]
    public void Bars_include_zero_so_negative_contributions_extend_left_of_it()
    {
        var scale = ChartScale.Fit([-2, 3], 0, 500, includeZero: true);

        Assert.True(scale.Map(-2) < scale.Map(0));
        Assert.True(scale.Map(3) > scale.Map(0));
        Assert.Contains(0d, scale.Ticks());
    }
}
