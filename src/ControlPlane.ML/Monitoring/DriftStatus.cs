namespace ControlPlane.ML.Monitoring;

/// <summary>
/// The verdict for one feature in one window. <see cref="NoData"/> (nothing to compare) and <see cref="Skipped"/>
/// (too few rows for a test) are kept apart from <see cref="Ok"/> so that an empty window never reads as healthy or as drift.
/// </summary>
public enum DriftStatus
{
    Ok,
    Warning,
    Drift,
    NoData,
    Skipped,
}
