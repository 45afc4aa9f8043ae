using System.Text.Json;
using ControlPlane.ML.Monitoring;

namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>
/// The histogram a stored feature result was judged on (<see cref="DriftFeatureResult.HistogramJson"/>), and for the
/// prediction the window's score quantiles (10th, 25th, 50th, 75th, 90th), so the dashboard charts the output over time.
/// </summary>
public sealed record DriftHistogramJson(
    IReadOnlyList<string> Bins, IReadOnlyList<double> Baseline, IReadOnlyList<double> Current,
    long Unseen = 0, IReadOnlyList<string>? UnseenExamples = null, double? OutOfVocabulary = null, IReadOnlyList<double>? Quantiles = null)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static readonly double[] QuantileLevels = [0.1, 0.25, 0.5, 0.75, 0.9];

    public static string Write(FeatureDrift drift, IReadOnlyList<double>? quantiles = null) => JsonSerializer.Serialize(
        new DriftHistogramJson(drift.Bins, drift.BaselineShares, drift.CurrentShares, drift.Unseen, drift.UnseenExamples, drift.OutOfVocabulary, quantiles), Options);

    public static DriftHistogramJson? Read(string? json) => string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<DriftHistogramJson>(json, Options);

    /// <summary>The <see cref="QuantileLevels"/> of <paramref name="values"/> (nearest rank), or null when there are none.</summary>
    public static double[]? QuantilesOf(IReadOnlyList<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        return sorted.Length == 0 ? null
            : QuantileLevels.Select(q => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)]).ToArray();
    }
}
