namespace ControlPlane.Core.Monitoring;

/// <summary>An HTTP receiver of alerts. Its signing secret is stored encrypted with Data Protection, never in clear.</summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }
    public required string ProtectedSecret { get; set; }

    /// <summary>Space-separated alert kinds it receives; empty means every kind.</summary>
    public string EventKinds { get; set; } = "";

    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";

    public IReadOnlyList<string> Kinds => EventKinds.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(string kind) => EventKinds.Length == 0 || Kinds.Contains(kind, StringComparer.Ordinal);
}
