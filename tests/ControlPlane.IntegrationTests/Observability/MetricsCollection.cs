namespace ControlPlane.IntegrationTests.Observability;

/// <summary>
/// OpenTelemetry listens to meters by name across the process, and every test host names its meters alike: with two
/// hosts alive at once, one host's /metrics would show (and mix up) the other's series. Metrics tests therefore run alone,
/// after the parallel collections, one host at a time. (A deployed node is one host per process.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
