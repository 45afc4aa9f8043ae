using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.DriftCheck;

namespace ControlPlane.Web.Api;

/// <summary>The body of <c>GET .../drift</c>: statuses as their stored text (ok, warning, drift, skipped, no_data).</summary>
public sealed record DriftResponse(
    string Tenant, string UseCase, string Source, DriftResponse.WindowBody? Latest, IReadOnlyList<DriftResponse.WindowBody> Windows,
    IReadOnlyList<DriftResponse.FeatureBody> Features, DriftResponse.FeatureBody? Prediction,
    IReadOnlyList<PredictionDistributionPoint> PredictionOverTime, IReadOnlyList<LiveVersionMark> LiveVersions, string? Empty)
{
    public static DriftResponse From(DriftReport report)
    {
        var windows = report.Windows.Select(w => new WindowBody(w.Day, w.WindowStart, w.Rows, w.Status, w.Version, w.PredictionStatus,
            w.DriftedFeatures, w.JudgedFeatures, w.CheckedAt)).ToArray();
        return new DriftResponse(report.Tenant, report.UseCase, report.Source, windows.LastOrDefault(), windows,
            report.Features.Select(Feature).ToArray(), report.Prediction is { } p ? Feature(p) : null, report.PredictionOverTime, report.LiveVersions, report.Empty);
    }

    private static FeatureBody Feature(DriftFeatureRow row)
    {
        var f = row.Latest;
        return new FeatureBody(f.Feature, f.Kind.ToString().ToLowerInvariant(), DriftStatusText.Of(f.Status), f.Psi, f.Test, f.Statistic, f.PValue,
            f.Rows, f.Missing, f.Reason, f.Bins, f.BaselineShares, f.CurrentShares,
            row.Trend.Select(t => new TrendPoint(t.Day, t.Psi, DriftStatusText.Of(t.Status))).ToArray())
        {
            PsiLow = f.Estimate?.Low, PsiHigh = f.Estimate?.High, AdjustedPValue = f.AdjustedPValue, Rule = f.Rule,
        };
    }

    public sealed record WindowBody(
        DateOnly Day, DateOnly WindowStart, int Rows, string Status, string Version, string? PredictionStatus, int DriftedFeatures, int JudgedFeatures,
        DateTime CheckedAt);

    public sealed record FeatureBody(
        string Feature, string Kind, string Status, double? Psi, string? Test, double? Statistic, double? PValue, long Rows, long Missing, string? Reason,
        IReadOnlyList<string> Bins, IReadOnlyList<double> BaselineShares, IReadOnlyList<double> CurrentShares, IReadOnlyList<TrendPoint> Trend)
    {
        /// <summary>The 90 % interval of <see cref="Psi"/> (corrected for sampling).</summary>
        public double? PsiLow { get; init; }
        public double? PsiHigh { get; init; }

        /// <summary><see cref="PValue"/> adjusted over the window's features tested together (Holm).</summary>
        public double? AdjustedPValue { get; init; }

        /// <summary>The rule the monitored column comes from, in words.</summary>
        public string? Rule { get; init; }
    }

    public sealed record TrendPoint(DateOnly Day, double? Psi, string Status);
}
