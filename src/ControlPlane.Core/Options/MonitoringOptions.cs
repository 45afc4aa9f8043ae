namespace ControlPlane.Core.Options;

/// <summary>The "ControlPlane:Monitoring" section: how often every enrollment is checked without being asked.</summary>
public sealed class MonitoringOptions
{
    /// <summary>
    /// How often the monitoring sweep starts a <c>monitor-all</c> run per use case (drift of the real-time sample, decay,
    /// SLAs, the auto-retrain policy for every enrollment). One node of a cluster starts each sweep. Zero switches the
    /// sweep off (batch scores still check drift after themselves).
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
