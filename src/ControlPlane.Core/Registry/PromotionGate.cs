using System.Globalization;

namespace ControlPlane.Core.Registry;

/// <summary>
/// The pure rule of the promotion gate: a challenger is promoted when there is no champion, or when it is not worse than
/// the champion by more than <c>tolerance × |champion|</c> of the headline metric.
/// </summary>
public static class PromotionGate
{
    /// <param name="champion">The champion's headline value, null when there is no champion.</param>
    public static (bool Promote, string Reason) Decide(
        string metric, double challenger, double? champion, bool higherIsBetter, double tolerance, bool sameTestData)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        if (champion is not { } best)
        {
            return (true, $"No champion yet: the challenger ({metric} {F(challenger)}) becomes champion.");
        }

        var allowed = tolerance * Math.Abs(best);
        var worseBy = higherIsBetter ? best - challenger : challenger - best;
        var basis = sameTestData
            ? "on the challenger's test split"
            : "from the stored headlines, each on its own test split (the champion was not re-scored on the challenger's)";
        var numbers = $"{metric} {F(challenger)} against the champion's {F(best)} {basis}";
        if (worseBy <= 0)
        {
            return (true, $"Not worse than the champion: {numbers}.");
        }

        return worseBy <= allowed
            ? (true, $"Worse by {F(worseBy)}, within the tolerance of {F(allowed)} ({F(tolerance * 100)} % of the champion): {numbers}.")
            : (false, $"Worse by {F(worseBy)}, beyond the tolerance of {F(allowed)} ({F(tolerance * 100)} % of the champion): {numbers}. The version stays challenger.");
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
