using ControlPlane.Core.Datasets.Validation;

namespace ControlPlane.UnitTests.Datasets.Validation;

public class ExpressionInputsTests
{
    [Theory]
    [InlineData("spend / seats", new[] { "spend", "seats" })]
    [InlineData("log(spend + 1) * 2e3", new[] { "spend" })]
    [InlineData("delay > 15 and not cancelled", new[] { "delay", "cancelled" })]
    [InlineData("plan == \"gold plan\" ? 1 : 0", new[] { "plan" })]
    [InlineData("(a, b) => a > b", new[] { "a", "b" })]
    [InlineData("x => isna(x) ? 0 : x", new[] { "x" })]
    public void Finds_the_names_an_expression_reads(string expression, string[] expected) =>
        Assert.Equal(expected, ExpressionInputs.Of(expression, null));

    [Fact]
    public void Explicit_inputs_win() =>
        Assert.Equal(["Mrr Cents", "Seats"], ExpressionInputs.Of("(s, n) => s / n", ["Mrr Cents", "Seats"]));
}
