namespace ControlPlane.Executor.Definitions;

/// <summary>A validated DAG of tasks under a name. Build one with <see cref="Pipeline.Define"/>.</summary>
public sealed class PipelineDefinition
{
    internal PipelineDefinition(
        string name, string description, IReadOnlyList<TaskDefinition> tasks, TimeSpan? runTimeout, FanOutDefinition? fanOut, bool perUseCase = false,
        bool adminOnly = false, IReadOnlyList<PipelineParameter>? parameters = null)
    {
        Parameters = parameters ?? [];
        DeclaresParameters = parameters is not null;
        AdminOnly = adminOnly;
        ForWholeUseCase = fanOut is not null || perUseCase;
        Name = name;
        Description = description;
        RunTimeout = runTimeout;
        FanOut = fanOut;
        Tasks = DagOrder.Sort(name, tasks);
    }

    public string Name { get; }
    public string Description { get; }

    /// <summary>The parameters its runs take (<see cref="Pipeline.Parameter"/>); checked at start when <see cref="DeclaresParameters"/>.</summary>
    public IReadOnlyList<PipelineParameter> Parameters { get; }

    /// <summary>
    /// The pipeline says what it takes (<see cref="Pipeline.Parameter"/> or <see cref="Pipeline.NoParameters"/>): any other
    /// parameter is refused. Pipelines that do not (the test pipelines) accept any.
    /// </summary>
    public bool DeclaresParameters { get; }

    /// <summary>Tasks in a topological order: every task after all of its upstream tasks.</summary>
    public IReadOnlyList<TaskDefinition> Tasks { get; }

    public TimeSpan? RunTimeout { get; }

    /// <summary>Set when this pipeline spawns one child run per enrolled tenant instead of running tasks itself.</summary>
    public FanOutDefinition? FanOut { get; }

    /// <summary>Runs name a use case and no tenant: fan-outs, and pipelines defined <see cref="Pipeline.PerUseCase"/>.</summary>
    public bool ForWholeUseCase { get; }

    /// <summary>Started by hand only by admins (<see cref="Pipeline.AdminOnly"/>).</summary>
    public bool AdminOnly { get; }

    public TaskDefinition Task(string name) =>
        Find(name) ?? throw new KeyNotFoundException($"Pipeline '{Name}' has no task '{name}'.");

    public TaskDefinition? Find(string name) => Tasks.FirstOrDefault(t => t.Name == name);

    /// <summary>The tasks downstream of <paramref name="name"/>, transitively.</summary>
    public IReadOnlySet<string> Downstream(string name)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var frontier = new Queue<string>([name]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var t in Tasks.Where(t => t.DependsOn.Contains(current) && result.Add(t.Name)))
            {
                frontier.Enqueue(t.Name);
            }
        }

        return result;
    }
}

/// <summary>A parent pipeline that starts <see cref="ChildPipeline"/> for every tenant enrolled in the run's use case.</summary>
public sealed record FanOutDefinition(string ChildPipeline);
