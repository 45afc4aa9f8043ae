using System.Diagnostics;
using ControlPlane.Core;
using ControlPlane.Core.Data;
using ControlPlane.Core.Pipelines;
using ControlPlane.Executor;
using ControlPlane.Executor.Definitions;
using ControlPlane.Executor.Engine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Benchmarks;

/// <summary>A node of the product without its web front: Core and the executor with Quartz, started as the app starts them.</summary>
public sealed class ExecutorHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ExecutorHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<ExecutorHost> StartAsync(
        string provider, string connectionString, string dataFolder, IEnumerable<PipelineDefinition> pipelines,
        IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["ControlPlane:DataDirectory"] = dataFolder;
        builder.Configuration["ControlPlane:Database:Provider"] = provider;
        builder.Configuration["ControlPlane:Database:ConnectionString"] = connectionString;
        builder.Configuration["ControlPlane:Demo:Seed"] = "false";
        builder.Configuration["ControlPlane:Bootstrap:AdminPassword"] = "Bench-Passw0rd!";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.Configuration[key] = value;
        }

        builder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.AddControlPlaneCore();
        builder.AddControlPlaneExecutor();
        foreach (var pipeline in pipelines)
        {
            builder.Services.AddSingleton(pipeline);
        }

        var host = builder.Build();
        await host.StartAsync();
        return new ExecutorHost(host);
    }

    /// <summary>Creates a run and polls its state until it finishes; the run's id when it succeeded.</summary>
    /// <exception cref="InvalidOperationException">The run ended in another state than succeeded.</exception>
    public async Task<Guid> RunAndWaitAsync(RunRequest request, TimeSpan timeout, CancellationToken ct)
    {
        var run = await Services.GetRequiredService<DagEngine>().CreateRunAsync(request, ct);
        var dbs = Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var state = await db.PipelineRuns.Where(r => r.Id == run.Id).Select(r => r.State).FirstAsync(ct);
            if (state.IsFinished())
            {
                if (state == RunState.Succeeded)
                {
                    return run.Id;
                }

                // Name what failed: the run's failed tasks and those of its children (a fan-out's retrains).
                var failed = await db.TaskRuns.Where(t => (t.RunId == run.Id || t.Run!.ParentRunId == run.Id) && t.State == TaskState.Failed)
                    .Select(t => new { t.Run!.TenantSlug, t.Name, t.Error }).Take(10).ToListAsync(ct);
                throw new InvalidOperationException($"Benchmark run of {request.Pipeline} ended {state}: " +
                    string.Join("; ", failed.Select(f => $"{f.TenantSlug} {f.Name}: {f.Error}")));
            }

            await Task.Delay(50, ct);
        }

        throw new TimeoutException($"Benchmark run of {request.Pipeline} did not finish in {timeout.TotalMinutes:0} minutes.");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(10));
        _host.Dispose();
    }
}
