using ControlPlane.Core.Tenants;

namespace ControlPlane.Core.FeatureRules;

/// <summary>
/// One immutable version of an enrollment's feature-rule overrides (the JSON of a <see cref="ML.Rules.RuleSet"/>). The
/// effective rules are these merged onto the use case's defaults at the time of use.
/// </summary>
public sealed class FeatureRuleVersion
{
    public Guid Id { get; set; }
    public Guid EnrollmentId { get; set; }
    public Enrollment? Enrollment { get; set; }

    /// <summary>1, 2, … per enrollment; 0 is never stored and stands for "the use case's defaults".</summary>
    public int Number { get; set; }

    /// <summary>The tenant's overrides, as written by <see cref="ML.Rules.RuleJson.Write"/>.</summary>
    public required string Json { get; set; }

    public string Comment { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}
