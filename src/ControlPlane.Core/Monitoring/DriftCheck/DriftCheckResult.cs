namespace ControlPlane.Core.Monitoring.DriftCheck;

/// <summary>
/// What one drift check did: how many windows it stored and the newest one's status and note; or, when it stored
/// nothing, why (<see cref="Message"/>). <see cref="Skipped"/> lists windows left out and why (e.g. a version without baselines).
/// </summary>
public sealed record DriftCheckResult(
    string Tenant, string UseCase, string Source, int Windows, string? Status, string? Note, DateTime? Day, string? Message,
    IReadOnlyList<string> Skipped)
{
    public bool Stored => Windows > 0;
}
