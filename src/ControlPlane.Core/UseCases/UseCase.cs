using ControlPlane.ML;

namespace ControlPlane.Core.UseCases;

/// <summary>An ML feature of the product (lead scoring, churn risk, ...), shared by every tenant enrolled in it.</summary>
public sealed class UseCase
{
    public Guid Id { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public TaskType TaskType { get; set; }
    public required string LabelColumn { get; set; }
    public required string EntityKeyColumn { get; set; }
    public string? EventTimeColumn { get; set; }
    public List<FeatureColumn> DefaultFeatures { get; set; } = [];
    public bool IsBuiltIn { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}
