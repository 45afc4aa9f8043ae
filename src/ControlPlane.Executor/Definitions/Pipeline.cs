using System.Text.RegularExpressions;

namespace ControlPlane.Executor.Definitions;

/// <summary>
/// The DAG builder:
/// <code>
/// Pipeline.Define("retrain", p => p
///     .Task&lt;Ingest&gt;("ingest").Pool("io")
///     .Task&lt;Train&gt;("train").After("ingest").Retry(3, TimeSpan.FromSeconds(10)).Timeout(TimeSpan.FromMinutes(30)).Pool("training"));
/// </code>
/// </summary>
public sealed partial class Pipeline
{
    public const string DefaultPool = "default";

    private readonly string _name;
    private readonly List<TaskBuilder> _tasks = [];
    private string _description = "";
    private TimeSpan? _runTimeout;
    private FanOutDefinition? _fanOut;
    private bool _perUseCase;
    private bool _adminOnly;
    private List<PipelineParameter>? _parameters;

    private Pipeline(string name) => _name = name;

    public static PipelineDefinition Define(string name, Action<Pipeline> build)
    {
        if (!Name().IsMatch(name))
        {
            throw new PipelineDefinitionException($"Pipeline name '{name}' must be lowercase letters, digits and hyphens.");
        }

        var pipeline = new Pipeline(name);
        build(pipeline);
        if (pipeline._fanOut is null && pipeline._tasks.Count == 0)
        {
            throw new PipelineDefinitionException($"Pipeline '{name}' has no tasks.");
        }

        return new PipelineDefinition(name, pipeline._description, pipeline._tasks.Select(t => t.Build()).ToList(), pipeline._runTimeout, pipeline._fanOut,
            pipeline._perUseCase, pipeline._adminOnly, pipeline._parameters);
    }

    /// <summary>Declares a parameter its runs take; a pipeline that declares any refuses the others.</summary>
    public Pipeline Parameter(PipelineParameter parameter)
    {
        (_parameters ??= []).Add(parameter);
        return this;
    }

    /// <summary>Declares that its runs take no parameter: any given is refused.</summary>
    public Pipeline NoParameters()
    {
        _parameters ??= [];
        return this;
    }

    public Pipeline Describe(string description)
    {
        _description = description;
        return this;
    }

    /// <summary>The whole run fails when it takes longer than this.</summary>
    public Pipeline RunTimeout(TimeSpan timeout)
    {
        _runTimeout = timeout;
        return this;
    }

    /// <summary>Makes this a fan-out pipeline: one child run of <paramref name="childPipeline"/> per enrolled tenant.</summary>
    public Pipeline FanOutTo(string childPipeline)
    {
        _fanOut = new FanOutDefinition(childPipeline);
        return this;
    }

    /// <summary>Makes this a pipeline of a whole use case: its runs name a use case and no tenant (retrain-all).</summary>
    public Pipeline PerUseCase()
    {
        _perUseCase = true;
        return this;
    }

    /// <summary>
    /// Only admins start it by hand (system maintenance such as housekeeping); the system's own sweeps start it as
    /// before. Analysts and API tokens without the Admin role are refused.
    /// </summary>
    public Pipeline AdminOnly()
    {
        _adminOnly = true;
        return this;
    }

    public TaskBuilder Task<THandler>(string name) where THandler : IPipelineTask => Add(new TaskBuilder(this, name, typeof(THandler), null));

    public TaskBuilder Task(string name, Func<TaskContext, Task> run) => Add(new TaskBuilder(this, name, null, run));

    private TaskBuilder Add(TaskBuilder task)
    {
        if (!Name().IsMatch(task.Name))
        {
            throw new PipelineDefinitionException($"Task name '{task.Name}' of pipeline '{_name}' must be lowercase letters, digits and hyphens.");
        }

        _tasks.Add(task);
        return task;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex Name();

    /// <summary>Configures one task; every method returns the builder, and <c>Task</c> starts the next task.</summary>
    public sealed class TaskBuilder(Pipeline pipeline, string name, Type? handler, Func<TaskContext, Task>? run)
    {
        private readonly List<string> _after = [];
        private RetryPolicy _retry = RetryPolicy.None;
        private TimeSpan? _timeout;
        private string _pool = DefaultPool;
        private bool _idempotent = true;

        internal string Name => name;

        /// <summary>
        /// The task may not simply run again after a crash or a lost node cut it short (it has effects outside the run
        /// that a second run would repeat): an interruption then fails it, saying so, instead of repeating it.
        /// </summary>
        public TaskBuilder NotIdempotent()
        {
            _idempotent = false;
            return this;
        }

        public TaskBuilder After(params string[] upstream)
        {
            _after.AddRange(upstream);
            return this;
        }

        public TaskBuilder Retry(int maxAttempts, TimeSpan initialDelay, double backoffFactor = 2.0, TimeSpan? maxDelay = null)
        {
            if (maxAttempts < 1)
            {
                throw new PipelineDefinitionException($"Task '{name}' must be tried at least once.");
            }

            _retry = new RetryPolicy(maxAttempts, initialDelay, backoffFactor, maxDelay);
            return this;
        }

        public TaskBuilder Timeout(TimeSpan timeout)
        {
            _timeout = timeout;
            return this;
        }

        public TaskBuilder Pool(string pool)
        {
            _pool = pool;
            return this;
        }

        public TaskBuilder Task<THandler>(string next) where THandler : IPipelineTask => pipeline.Task<THandler>(next);

        public TaskBuilder Task(string next, Func<TaskContext, Task> nextRun) => pipeline.Task(next, nextRun);

        internal TaskDefinition Build() => new(name, handler, run, _after.Distinct().ToList(), _retry, _timeout, _pool, _idempotent);
    }
}
