using Microsoft.Extensions.Logging;

namespace ControlPlane.Executor.Definitions;

/// <summary>What a running task gets: who it runs for, a token that fires on timeout or cancel, progress and a log.</summary>
public sealed class TaskContext
{
    private readonly Func<double, string?, Task> _report;

    internal TaskContext(
        Guid runId, string pipeline, string task, int attempt, string? tenant, string? useCase,
        IReadOnlyDictionary<string, string> parameters, IServiceProvider services, ILogger log,
        Func<double, string?, Task> report, CancellationToken cancellationToken)
    {
        RunId = runId;
        Pipeline = pipeline;
        Task = task;
        Attempt = attempt;
        Tenant = tenant;
        UseCase = useCase;
        Parameters = parameters;
        Services = services;
        Log = log;
        _report = report;
        CancellationToken = cancellationToken;
    }

    public Guid RunId { get; }
    public string Pipeline { get; }
    public string Task { get; }
    public int Attempt { get; }
    public string? Tenant { get; }
    public string? UseCase { get; }
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The attempt's DI scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Writes to the attempt's log (kept with the run and streamed to the browser) and to the app's log.</summary>
    public ILogger Log { get; }

    /// <summary>Cancelled when the attempt times out, the run is cancelled, or the node shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Reports progress in percent (0–100) with an optional message; cheap to call often.</summary>
    public Task ReportProgressAsync(double percent, string? message = null) => _report(Math.Clamp(percent, 0, 100), message);
}
