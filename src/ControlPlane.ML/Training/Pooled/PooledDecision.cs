using System.Globalization;

namespace ControlPlane.ML.Training;

/// <summary>Whether a tenant is served by its own model or the pooled one, and why in words shown to analysts.</summary>
public sealed record PooledDecision(bool UsePooled, string Reason)
{
    /// <summary>
    /// Pooled when the tenant has fewer than <paramref name="minimumRows"/> labelled rows or no own model; otherwise
    /// the own model unless the pooled one beats it on the tenant's own test split by the headline metric (a tie keeps
    /// the own model).
    /// </summary>
    /// <param name="labelledRows">The tenant's labelled rows.</param>
    /// <param name="own">The tenant's own model's report; null when none could be trained.</param>
    /// <param name="pooled">The pooled model on the tenant's test split; null when it could not be evaluated there.</param>
    public static PooledDecision Decide(int labelledRows, int minimumRows, ModelReport? own, PooledEvaluation? pooled)
    {
        var pooledText = pooled is null ? "" : $" (pooled {Metric(pooled.Metrics)} {Value(pooled.Metrics.HeadlineValue)} on {Rows(pooled.Split)})";
        if (labelledRows < minimumRows)
        {
            return new(true, $"Only {Count(labelledRows)} labelled rows, fewer than the {Count(minimumRows)} an own model needs: served by the pooled model{pooledText}.");
        }

        if (own is null)
        {
            return new(true, $"No own model could be trained: served by the pooled model{pooledText}.");
        }

        var mine = own.Test;
        if (pooled is null)
        {
            return new(false, $"Own model {Metric(mine)} {Value(mine.HeadlineValue)}; the pooled model could not be evaluated on this tenant's test rows.");
        }

        var theirs = pooled.Metrics;
        var ownWorse = mine.HigherIsBetter ? mine.HeadlineValue < theirs.HeadlineValue : mine.HeadlineValue > theirs.HeadlineValue;
        var sign = mine.HeadlineValue < theirs.HeadlineValue ? "<" : mine.HeadlineValue > theirs.HeadlineValue ? ">" : "=";
        var comparison = $"own model {Metric(mine)} {Value(mine.HeadlineValue)} {sign} pooled {Value(theirs.HeadlineValue)} on {Rows(pooled.Split)}";
        return ownWorse
            ? new(true, $"Served by the pooled model: {comparison}.")
            : new(false, $"Served by its own model: {comparison}.");
    }

    private static string Metric(ModelMetrics metrics) => metrics.Headline switch
    {
        "auc" => "AUC",
        "rmse" => "RMSE",
        "macroAccuracy" => "macro accuracy",
        var other => other,
    };

    private static string Rows(SplitSummary split) =>
        $"this tenant's {Count(split.TestRows)} {(split.ByTime ? "newest" : "held-out")} rows";

    private static string Value(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
