namespace ControlPlane.Executor.Engine;

/// <summary>What to run, for whom, and who asked.</summary>
public sealed record RunRequest(
    string Pipeline,
    string? TenantSlug = null,
    string? UseCase = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    string Trigger = "manual",
    string TriggeredBy = "system",
    Guid? ParentRunId = null);
