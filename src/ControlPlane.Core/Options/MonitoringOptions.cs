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

    /// <summary>
    /// A drift check compares at most this many rows per day and source: a larger day is compared on a uniform sample of
    /// this size (the same rows each check), which bounds a check's memory and time however much was scored; PSI and the
    /// tests on 50,000 rows find what the whole day would show.
    /// </summary>
    public int MaxRowsPerDay { get; set; } = 50_000;

    /// <summary>
    /// A fleet-wide shift (decision 0046): at least this many tenants of a use case drift on the same input in their
    /// newest windows ...
    /// </summary>
    public int FleetMinTenants { get; set; } = 3;

    /// <summary>... and they are at least this share of the use case's tenants whose drift was judged. One use-case alert
    /// then stands for all of them instead of one per tenant.</summary>
    public double FleetShare { get; set; } = 0.1;
}
