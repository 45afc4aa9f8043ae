using ControlPlane.ML.Rules;

namespace ControlPlane.UnitTests.Rules;

/// <summary>The names an expression reads, as the compiler reads them (validation relies on these).</summary>
public sealed class ExpressionInputsTests
{
    [Theory]
    [InlineData("spend / seats", new[] { "spend", "seats" })]
    [InlineData("log(spend + 1) * 2e3", new[] { "spend" })]
    [InlineData("delay > 15 and not cancelled", new[] { "delay", "cancelled" })]
    [InlineData("plan == \"gold plan\" ? 1 : 0", new[] { "plan" })]
    [InlineData("(a, b) => a > b", new[] { "a", "b" })]
    [InlineData("x => isna(x) ? 0 : x", new[] { "x" })]
    [InlineData("with(per = spend / seats; per > 10 ? per : seats)", new[] { "spend", "seats" })]
    public void Finds_the_names_an_expression_reads(string expression, string[] expected) =>
        Assert.Equal(expected, ExpressionInputs.Of(expression, null));

    [Fact]
    public void Explicit_inputs_win() =>
        Assert.Equal(["Mrr Cents", "Seats"], ExpressionInputs.Of("(s, n) => s / n", ["Mrr Cents", "Seats"]));
}
