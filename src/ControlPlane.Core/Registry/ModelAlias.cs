using ControlPlane.Core.Tenants;

namespace ControlPlane.Core.Registry;

/// <summary>
/// A named pointer of an enrollment to a model version (its own, or the pooled version of its use case and region).
/// <see cref="Revision"/> is the concurrency token: every move bumps it, and two moves from the same revision cannot both win.
/// </summary>
public sealed class ModelAlias
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public Enrollment? Enrollment { get; set; }

    /// <summary>One of <see cref="AliasNames"/>.</summary>
    public required string Name { get; set; }

    public Guid ModelVersionId { get; set; }
    public ModelVersion? ModelVersion { get; set; }

    /// <summary>1 after the first move, +1 on each; equal to the <see cref="AliasChange.Sequence"/> of the change that set it.</summary>
    public int Revision { get; set; }

    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

public static class AliasNames
{
    public const string Champion = "champion";
    public const string Challenger = "challenger";

    public static readonly IReadOnlyList<string> All = [Champion, Challenger];

    public static bool IsKnown(string? name) => name is not null && All.Contains(name, StringComparer.Ordinal);
}
