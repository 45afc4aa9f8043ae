namespace ControlPlane.Executor.Definitions;

/// <summary>All pipelines the product knows, checked at start-up: a bad definition stops the app with its reason.</summary>
public sealed class PipelineCatalog
{
    private readonly Dictionary<string, PipelineDefinition> _pipelines;

    public PipelineCatalog(IEnumerable<PipelineDefinition> definitions)
    {
        _pipelines = new Dictionary<string, PipelineDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!_pipelines.TryAdd(definition.Name, definition))
            {
                throw new PipelineDefinitionException($"Pipeline '{definition.Name}' is defined twice.");
            }
        }

        foreach (var fanOut in _pipelines.Values.Where(p => p.FanOut is not null))
        {
            if (!_pipelines.TryGetValue(fanOut.FanOut!.ChildPipeline, out var child) || child.FanOut is not null)
            {
                throw new PipelineDefinitionException(
                    $"Fan-out pipeline '{fanOut.Name}' starts '{fanOut.FanOut.ChildPipeline}', which is not a defined pipeline of tasks.");
            }
        }
    }

    public IReadOnlyCollection<PipelineDefinition> All => _pipelines.Values;

    public PipelineDefinition? Find(string name) => _pipelines.GetValueOrDefault(name);

    public PipelineDefinition Get(string name) =>
        Find(name) ?? throw new KeyNotFoundException($"Pipeline '{name}' is not defined (known: {string.Join(", ", _pipelines.Keys.Order())}).");
}
