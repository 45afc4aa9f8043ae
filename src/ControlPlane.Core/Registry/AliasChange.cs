using ControlPlane.Core.Tenants;

namespace ControlPlane.Core.Registry;

/// <summary>
/// One move of an alias: from which version to which, who, when, why, and whether the promotion gate did it.
/// (EnrollmentId, Alias, Sequence) is unique, so the history of an alias is a chain without gaps or forks:
/// every change's <see cref="FromVersionId"/> is the previous change's <see cref="ToVersionId"/>.
/// </summary>
public sealed class AliasChange
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public Enrollment? Enrollment { get; set; }
    public required string Alias { get; set; }

    /// <summary>1, 2, … per enrollment and alias.</summary>
    public int Sequence { get; set; }

    public Guid? FromVersionId { get; set; }
    public ModelVersion? FromVersion { get; set; }
    public Guid ToVersionId { get; set; }
    public ModelVersion? ToVersion { get; set; }

    public required string Actor { get; set; }
    public DateTime At { get; set; }
    public required string Reason { get; set; }

    /// <summary>True when the promotion gate moved the alias, false for an analyst's promote or rollback.</summary>
    public bool Automatic { get; set; }
}
