using ControlPlane.Core;
using ControlPlane.Core.Data;
using ControlPlane.Core.UseCases;
using ControlPlane.Executor;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ControlPlane.Benchmarks;

/// <summary>The product's Core services on a fresh database of one provider, built the way the app builds them.</summary>
public sealed class CoreHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CoreHost(ServiceProvider services, string provider)
    {
        _services = services;
        Provider = provider;
    }

    public string Provider { get; }
    public IServiceProvider Services => _services;

    public static async Task<CoreHost> CreateAsync(string provider, string connectionString, string dataFolder)
    {
        var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        host.Configuration["ControlPlane:DataDirectory"] = dataFolder;
        host.Configuration["ControlPlane:Database:Provider"] = provider;
        host.Configuration["ControlPlane:Database:ConnectionString"] = connectionString;
        host.Configuration["ControlPlane:Executor:NodeRole"] = "Web"; // the read side of the executor, no Quartz
        host.AddControlPlaneCore();
        host.AddControlPlaneExecutor();
        host.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        IServiceCollection services = new ServiceCollection();
        foreach (var d in host.Services.Where(d => d.ServiceType != typeof(IHostedService)))
        {
            services.Add(d);
        }

        var built = services.BuildServiceProvider();
        await using var db = await built.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        foreach (var useCase in BuiltInUseCases.All())
        {
            useCase.Id = Guid.NewGuid();
            useCase.IsBuiltIn = true;
            db.UseCases.Add(useCase);
        }

        await db.SaveChangesAsync();
        return new CoreHost(built, provider);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
