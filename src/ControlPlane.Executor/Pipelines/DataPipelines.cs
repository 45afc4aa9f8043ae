using ControlPlane.Executor.Definitions;

namespace ControlPlane.Executor.Pipelines;

/// <summary>
/// "data-refresh": <c>ingest</c> → <c>validate</c> for one enrollment (see <see cref="DataTasks"/>); "data-refresh-all"
/// runs it for every tenant enrolled in a use case.
/// </summary>
public static class DataPipelines
{
    public const string DataRefresh = "data-refresh";
    public const string DataRefreshAll = "data-refresh-all";

    public static PipelineDefinition Definition() => Pipeline.Define(DataRefresh, p => p
        .Describe("Ingests the enrollment's new data (its data source, or uploads not yet ingested) and validates the latest dataset version against the current feature rules.")
        .AddDataTasks());

    public static PipelineDefinition FanOutDefinition() => Pipeline.Define(DataRefreshAll, p => p
        .Describe("Runs data-refresh once for every tenant enrolled in the chosen use case.")
        .FanOutTo(DataRefresh));
}
