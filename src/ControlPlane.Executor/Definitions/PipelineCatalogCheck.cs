using Microsoft.Extensions.Hosting;

namespace ControlPlane.Executor.Definitions;

/// <summary>
/// Builds the pipeline catalog as the host starts, so that a bad definition (a cycle, a fan-out to nowhere) stops
/// every node with its reason — a web-only node too, which would otherwise build the catalog at its first request.
/// </summary>
internal sealed class PipelineCatalogCheck(PipelineCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = catalog; // resolving it is the check: its constructor validates every definition
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
