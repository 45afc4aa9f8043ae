using ControlPlane.Core;
using ControlPlane.Executor;
using ControlPlane.Executor.Definitions;
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

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(10));
        _host.Dispose();
    }
}
