using ControlPlane.ML;
using ControlPlane.ML.Rules;

namespace ControlPlane.Core.FeatureRules;

/// <summary>
/// An enrollment's rules at one version: the tenant's overrides as stored, and the effective rules they give on top of
/// the use case's defaults. <see cref="Number"/> 0 means no version was saved yet (defaults only).
/// </summary>
public sealed record RuleSetView(
    string Tenant, string UseCase, TaskType Task, int Number, string OverridesJson, RuleSet Overrides, RuleSet Effective,
    RuleDefaults Defaults, string Comment, DateTime? CreatedAt, string? CreatedBy);

public sealed record RuleVersionSummary(int Number, string Comment, DateTime CreatedAt, string CreatedBy);
