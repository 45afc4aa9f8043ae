using ControlPlane.ML;
using ControlPlane.ML.Monitoring;

namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>An enrollment's stored drift for one source over a date range, as the API returns it and the dashboard shows it.</summary>
public sealed record DriftReport(
    string Tenant, string UseCase, string Source, TaskType Task, DateOnly? From, DateOnly? To,
    IReadOnlyList<DriftWindowView> Windows, IReadOnlyList<DriftFeatureRow> Features, DriftFeatureRow? Prediction,
    IReadOnlyList<PredictionDistributionPoint> PredictionOverTime, IReadOnlyList<LiveVersionMark> LiveVersions, MonitoringSettings Settings)
{
    /// <summary>Why there are no windows (none checked yet, or none in the asked range and where they are); null when there are.</summary>
    public string? Empty { get; init; }

    public DriftWindowView? Latest => Windows.Count == 0 ? null : Windows[^1];
}

/// <summary>One stored window: the day it ends on, the first day it includes, its rows, status and the version whose baselines it used.</summary>
public sealed record DriftWindowView(
    DateOnly Day, DateOnly WindowStart, int Rows, string Status, string Version, string? PredictionStatus, int DriftedFeatures, int JudgedFeatures,
    DateTime CheckedAt);

/// <summary>The model's output in one window: score quantiles (binary, regression) and the shares per bin or class.</summary>
public sealed record PredictionDistributionPoint(DateOnly Day, IReadOnlyList<double>? Quantiles, IReadOnlyList<string> Bins, IReadOnlyList<double> Shares);

/// <summary>When a version became champion (from the alias history), for marks on the time axis.</summary>
public sealed record LiveVersionMark(DateTime At, string Version);
