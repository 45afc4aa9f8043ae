using System.Globalization;

namespace ControlPlane.ML.Training;

/// <summary>
/// Whether a tenant is served by its own model or the pooled one, and why in words shown to analysts (decision 0035):
/// a measured choice on the tenant's validation rows. The tenant graduates to its own model when it beats the pooled
/// one beyond noise (the paired 95 % interval of the difference leaves out zero) and falls back to the pool when it no
/// longer does. Where nothing can be measured (too few validation rows, one class among them) the pool serves: it is
/// fitted on far more rows. No row count overrides a measurement.
/// </summary>
public sealed record PooledDecision(bool UsePooled, string Reason)
{
    /// <param name="own">The tenant's own model's report, with its comparison with <paramref name="pooledKey"/>.</param>
    /// <param name="pooledKey">The pooled rival's key in the report's comparisons.</param>
    public static PooledDecision Decide(ModelReport own, string pooledKey)
    {
        ArgumentNullException.ThrowIfNull(own);
        var comparison = own.Comparisons.FirstOrDefault(c => c.A == ModelComparison.Own && c.B == pooledKey);
        if (comparison is null)
        {
            return new(false, "Served by its own model: it was not compared with the pooled model.");
        }

        var d = comparison.Difference;
        var rows = $"this tenant's {Count(d.Rows)} validation rows";
        if (d.Verdict == ComparisonVerdict.Unmeasured)
        {
            var why = comparison.Note ?? $"the difference cannot be measured on {rows}";
            return new(true, $"Served by {comparison.BLabel}: {Lower(why.TrimEnd('.'))}; the pooled model, fitted on more rows, is the safer choice.");
        }

        var figures = Figures(comparison);
        return d.Verdict == ComparisonVerdict.Better
            ? new(false, $"Own model graduates: it beats {comparison.BLabel} beyond noise on {rows}: {figures}.")
            : new(true, d.Verdict == ComparisonVerdict.Worse
                ? $"Served by {comparison.BLabel}: it beats the own model beyond noise on {rows}: {figures}."
                : $"Served by {comparison.BLabel}: the own model does not beat it beyond noise on {rows}: {figures}.");
    }

    /// <summary>"AUC 0.812 [0.771, 0.850] against 0.741 [0.69, 0.79]; difference +0.071 [+0.03, +0.11]".</summary>
    public static string Figures(ModelComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var d = comparison.Difference;
        return $"{Metric(d.Metric)} {Value(d.A)}{Interval(comparison.AInterval)} against {Value(d.B)}{Interval(comparison.BInterval)}; " +
               $"difference {Signed(d.Difference)}{(d.Interval is { } i ? $" [{Signed(i.Low)}, {Signed(i.High)}]" : "")}";
    }

    public static string Metric(string metric) => metric switch
    {
        "auc" => "AUC",
        "rmse" => "RMSE",
        "macroAccuracy" => "macro accuracy",
        var other => other,
    };

    private static string Interval(MetricInterval? interval) => interval is { } i ? $" [{Value(i.Low)}, {Value(i.High)}]" : "";

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    private static string Value(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Signed(double value) => value.ToString("+0.###;-0.###;0", CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
