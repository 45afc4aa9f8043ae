using System.ComponentModel.DataAnnotations;

namespace ControlPlane.Core.Options;

/// <summary>The "ControlPlane:Webhooks" section: how alerts are sent to webhook endpoints and retried.</summary>
public sealed class WebhookOptions
{
    /// <summary>Tries per delivery, the first included; after the last failed one the delivery is failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the second try; each further wait doubles (with ±20 % jitter) up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one POST may take before it counts as a timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each node looks for due deliveries raised on other nodes (its own wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deliveries one node sends at the same time, so one dead endpoint never holds up the others.</summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 8;
}
