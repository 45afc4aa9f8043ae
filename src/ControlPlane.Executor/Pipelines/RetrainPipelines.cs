using ControlPlane.Executor.Definitions;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// "retrain": one enrollment's model from fresh data to the promotion gate — <c>ingest</c> → <c>validate</c> →
/// <c>featurize</c> → <c>train</c> → <c>evaluate</c> → <c>register</c> → <c>promote-gate</c>; "retrain-all" runs it for
/// every tenant enrolled in a use case.
/// </summary>
public static class RetrainPipelines
{
    public const string Retrain = "retrain";
    public const string RetrainAll = "retrain-all";

    public static PipelineDefinition Definition() => Pipeline.Define(Retrain, p => p
        .Describe("Trains the enrollment's model on its latest valid data and current rules, registers it as a new version and lets the promotion gate decide whether it becomes champion.")
        .AddDataTasks()
        .Task(FeaturizeTask.Name, FeaturizeTask.RunAsync).After(DataTasks.Validate).Timeout(TimeSpan.FromMinutes(30))
        .Task(TrainTask.Name, TrainTask.RunAsync).After(FeaturizeTask.Name).Pool("training").Timeout(TimeSpan.FromHours(2))
        .Task(EvaluateTask.Name, EvaluateTask.RunAsync).After(TrainTask.Name).Timeout(TimeSpan.FromMinutes(30))
        // Both are safe to retry: register finds the version its run already made, and a gate that lost a race for the
        // aliases (a concurrent promote) saved nothing.
        .Task(RegisterTask.Name, RegisterTask.RunAsync).After(EvaluateTask.Name).Pool("io").Timeout(TimeSpan.FromMinutes(30))
            .Retry(3, TimeSpan.FromSeconds(2))
        .Task(PromoteGateTask.Name, PromoteGateTask.RunAsync).After(RegisterTask.Name).Timeout(TimeSpan.FromMinutes(30))
            .Retry(3, TimeSpan.FromSeconds(2)));

    /// <summary>Started with a use case and no tenant.</summary>
    public static PipelineDefinition AllDefinition() => Pipeline.Define(RetrainAll, p => p
        .PerUseCase()
        .Describe("For the chosen use case: trains the pooled model of each region on every enrolled tenant's data, then runs retrain for every enrolled tenant, which compares its own model with the pooled one.")
        .Task(PooledTask.Name, PooledTask.RunAsync).Pool("training").Timeout(TimeSpan.FromHours(2)).Retry(2, TimeSpan.FromSeconds(10))
        .Task(RetrainTenantsTask.Name, RetrainTenantsTask.RunAsync).After(PooledTask.Name).Timeout(TimeSpan.FromMinutes(5)));
}
