using ControlPlane.Executor.Definitions;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// "reproduce": retrains one version of an enrollment's model (parameter <c>version</c>) on exactly its lineage and
/// checks that the predictions are identical. Registers nothing and moves no alias.
/// </summary>
public static class ReproducePipeline
{
    public const string Name = "reproduce";

    /// <summary>The run parameter holding the version number to reproduce.</summary>
    public const string VersionParameter = "version";

    public static PipelineDefinition Definition() => Pipeline.Define(Name, p => p
        .Describe("Retrains a model version (parameter 'version') on the same dataset and rules versions with the same trainer, hyperparameters and seed, and checks that it predicts identically. Registers nothing.")
        .Parameter(PipelineParameter.Integer(VersionParameter, true, "The model version to retrain and compare.", 1))
        .Task(ReproduceTask.Name, ReproduceTask.RunAsync).Pool("training").Timeout(TimeSpan.FromHours(2)));
}
