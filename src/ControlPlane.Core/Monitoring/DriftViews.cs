using ControlPlane.ML.Monitoring;

namespace ControlPlane.Core.Monitoring;

/// <summary>One day's drift of one feature, for trend lines.</summary>
public sealed record DriftPoint(DateOnly Day, double? Psi, DriftStatus Status);

/// <summary>A feature's latest drift and its trend over the days before, as the drift dashboard lists it.</summary>
public sealed record DriftFeatureRow(FeatureDrift Latest, IReadOnlyList<DriftPoint> Trend)
{
    /// <summary>
    /// Dashboard order: judged features by status (drift, warning, ok), then by PSI, largest first; features that could
    /// not be judged (skipped: too few rows; no data) after them — "no data" is never shown as drift.
    /// </summary>
    public static IReadOnlyList<DriftFeatureRow> Ranked(IEnumerable<DriftFeatureRow> rows) =>
        rows.OrderBy(r => Rank(r.Latest.Status)).ThenByDescending(r => r.Latest.Psi ?? double.MinValue)
            .ThenBy(r => r.Latest.Feature, StringComparer.Ordinal).ToArray();

    /// <summary>The order statuses are listed in: drift, warning, ok, skipped, no data.</summary>
    public static int Rank(DriftStatus status) => status switch
    {
        DriftStatus.Drift => 0,
        DriftStatus.Warning => 1,
        DriftStatus.Ok => 2,
        DriftStatus.Skipped => 3,
        _ => 4,
    };
}
