using Bunit;
using Bunit.TestDoubles;
using ControlPlane.Core;
using ControlPlane.Core.Data;
using ControlPlane.Core.UseCases;
using ControlPlane.Executor;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPlane.ComponentTests;

/// <summary>
/// A bUnit context with the product's real Core services on a throwaway SQLite database
/// (migrated, built-in use cases seeded), the executor's services without its dispatcher (runs are created and changed
/// through <c>DagEngine</c>, nothing executes them), and MudBlazor's services, signed in as an admin.
/// </summary>
public abstract class CoreTestContext : BunitContext, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cp-bunit-").FullName;

    protected CoreTestContext()
        : this(maxUploadBytes: 1000)
    {
    }

    /// <param name="maxUploadBytes">The upload limit; the default is tiny so the limit tests need no big files.</param>
    protected CoreTestContext(long maxUploadBytes)
    {
        var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        host.Configuration["ControlPlane:DataDirectory"] = _folder;
        host.Configuration["ControlPlane:Database:ConnectionString"] = $"Data Source={Path.Combine(_folder, "cp.db")};Pooling=False";
        host.Configuration["ControlPlane:Uploads:MaxBytes"] = maxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        host.Configuration["ControlPlane:Executor:NodeRole"] = "Web";
        host.AddControlPlaneCore();
        host.AddControlPlaneExecutor();
        foreach (var descriptor in host.Services.Where(d => d.ServiceType != typeof(IHostedService)))
        {
            Services.Add(descriptor);
        }

        Services.AddLogging();
        Services.AddScoped<ControlPlane.Web.Auth.CurrentScope>(); // the web's own registration, which pages use for tenant scopes
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Auth = AddAuthorization();
        Auth.SetAuthorized("admin@test.local");
        Auth.SetRoles("Admin");

        using var db = Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContext();
        db.Database.Migrate();
        foreach (var useCase in BuiltInUseCases.All())
        {
            useCase.Id = Guid.NewGuid();
            useCase.IsBuiltIn = true;
            db.UseCases.Add(useCase);
        }

        db.SaveChanges();
        Popovers = Render<MudPopoverProvider>();
    }

    /// <summary>Where open menus and popovers render (one provider per context).</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; }

    /// <summary>The signed-in user; bUnit grants an <c>AuthorizeView Policy</c> only for policies set here.</summary>
    protected BunitAuthorizationContext Auth { get; }

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
