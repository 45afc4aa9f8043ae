using ControlPlane.ML;

namespace ControlPlane.Core.UseCases;

public sealed class CreateUseCaseRequest
{
    public string? Key { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public TaskType? TaskType { get; set; }
    public string? LabelColumn { get; set; }
    public string? EntityKeyColumn { get; set; }
    public string? EventTimeColumn { get; set; }
    public List<FeatureColumn>? Features { get; set; }
}

public sealed record UseCaseSummary(
    string Key, string Name, string Description, TaskType TaskType, string LabelColumn, string EntityKeyColumn,
    string? EventTimeColumn, IReadOnlyList<FeatureColumn> Features, bool IsBuiltIn, int EnrolledTenants);
