namespace ControlPlane.Core.Datasets.Validation;

/// <summary>
/// An enrollment's own limit on empty cells (decision 0050): a column of the rules more than this share empty blocks
/// training. Stored with the reason an analyst gave for leaving the server-wide limit; no row means the server's.
/// </summary>
public sealed class EnrollmentValidation
{
    public Guid EnrollmentId { get; set; }
    public double NullRateBlocking { get; set; }
    public string Reason { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>The emptiness limit an enrollment's dataset versions are judged by, and where it comes from.</summary>
/// <param name="NullRateBlocking">The limit in force (0–1).</param>
/// <param name="ServerDefault">The server-wide limit (ControlPlane:Validation:NullRateBlocking).</param>
/// <param name="Reason">Why the enrollment has its own limit; null when it uses the server's.</param>
public sealed record ValidationPolicyView(
    string Tenant, string UseCase, double NullRateBlocking, double ServerDefault, string? Reason, DateTime? UpdatedAt, string? UpdatedBy)
{
    public bool IsOwn => Reason is not null;
}
