using System.ComponentModel.DataAnnotations;

namespace ControlPlane.Core.Options;

/// <summary>
/// The "ControlPlane:Retention" section: how long data that only grows is kept. A daily <c>housekeeping</c> run (one
/// node of a cluster) removes what is older. Zero days keeps that kind forever. See docs/decisions/0032-retention.md.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>How often the housekeeping run starts by itself. Zero: only when started by hand (POST /api/v1/runs).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The sampled real-time predictions (drift of real-time inputs reads up to 120 days of them).</summary>
    [Range(0, 36_500)]
    public int PredictionLogDays { get; set; } = 180;

    /// <summary>Notifications (read or not) and their webhook deliveries.</summary>
    [Range(0, 36_500)]
    public int NotificationDays { get; set; } = 180;

    /// <summary>The log lines of runs that finished this long ago; the runs, tasks and attempts themselves stay (lineage).</summary>
    [Range(0, 36_500)]
    public int RunLogDays { get; set; } = 90;

    /// <summary>Daily monitoring results: drift windows and their features, performance windows, SLA results, latency days.</summary>
    [Range(0, 36_500)]
    public int MonitoringDays { get; set; } = 400;
}
