using Bunit;
using ControlPlane.Core;
using ControlPlane.Core.Data;
using ControlPlane.Core.UseCases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests;

/// <summary>
/// A bUnit context with the product's real Core services on a throwaway SQLite database
/// (migrated, built-in use cases seeded) and MudBlazor's services, signed in as an admin.
/// </summary>
public abstract class CoreTestContext : BunitContext, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cp-bunit-").FullName;

    protected CoreTestContext()
    {
        var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        host.Configuration["ControlPlane:DataDirectory"] = _folder;
        host.Configuration["ControlPlane:Database:ConnectionString"] = $"Data Source={Path.Combine(_folder, "cp.db")};Pooling=False";
        host.Configuration["ControlPlane:Uploads:MaxBytes"] = "1000";
        host.AddControlPlaneCore();
        foreach (var descriptor in host.Services.Where(d => d.ServiceType != typeof(IHostedService)))
        {
            Services.Add(descriptor);
        }

        Services.AddLogging();
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = AddAuthorization();
        auth.SetAuthorized("admin@test.local");
        auth.SetRoles("Admin");

        using var db = Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContext();
        db.Database.Migrate();
        foreach (var useCase in BuiltInUseCases.All())
        {
            useCase.Id = Guid.NewGuid();
            useCase.IsBuiltIn = true;
            db.UseCases.Add(useCase);
        }

        db.SaveChanges();
        Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that can only be disposed asynchronously.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
