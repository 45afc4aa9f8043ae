using System.Net.Http.Headers;
using ControlPlane.Core.Data;
using ControlPlane.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Infrastructure;

/// <summary>
/// The real app on a throwaway database of one provider, with its own data folder, a known admin and bootstrap token.
/// Set <see cref="UseRealServer"/> before first use to host it on a loopback port (for browsers).
/// </summary>
public class ControlPlaneApp(ITestDatabase database) : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin-Passw0rd!";
    public const string AdminToken = "bootstrap-token-for-tests-0123456789";

    /// <summary>Every node of a test shares the database, so it shares the master key too (as production nodes must).</summary>
    public const string MasterKey = "vb7FX5zpauPAVB1L9Noo6CkZLcQwv0Iz29OfJg1pdUE=";

    public ITestDatabase Database { get; } = database;
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("cp-data-").FullName;
    public Dictionary<string, string?> Settings { get; } = new();
    public bool UseRealServer { get; init; }

    /// <summary>False when another app instance (a restart of the "same" node) shares the database and data folder.</summary>
    public bool OwnsStorage { get; init; } = true;

    /// <summary>Changes to the app's services, applied after its own registrations (extra pipelines, a fake clock).</summary>
    public List<Action<IServiceCollection>> TestServices { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");

        // Outside Development the framework serves only published assets; tests run from the build output.
        builder.UseStaticWebAssets();
        var settings = new Dictionary<string, string?>
        {
            ["ControlPlane:Database:Provider"] = Database.Provider.ToString(),
            ["ControlPlane:Database:ConnectionString"] = Database.ConnectionString,
            ["ControlPlane:DataDirectory"] = DataDirectory,
            ["ControlPlane:Bootstrap:AdminEmail"] = AdminEmail,
            ["ControlPlane:Bootstrap:AdminPassword"] = AdminPassword,
            ["ControlPlane:Bootstrap:AdminToken"] = AdminToken,
            ["ControlPlane:Secrets:MasterKey"] = MasterKey,
            ["ControlPlane:Demo:Seed"] = "false",
            // The tests' own receivers and source database listen on loopback: allowed explicitly, as an operator would.
            ["ControlPlane:Egress:Allow:0"] = "127.0.0.0/8",
            ["ControlPlane:Egress:Allow:1"] = "::1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            foreach (var configure in TestServices)
            {
                configure(services);
            }
        });

        if (UseRealServer)
        {
            this.UseKestrel(0);
        }
    }

    /// <summary>The loopback address of the real server (after <see cref="WebApplicationFactory{T}.StartServer"/>).</summary>
    public Uri ServerAddress =>
        new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public HttpClient CreateAdminClient() => CreateTokenClient(AdminToken);

    public HttpClient CreateTokenClient(string token)
    {
        var client = CreateClient(NoRedirects());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient CreateAnonymousClient() => CreateClient(NoRedirects());

    /// <summary>Client options that keep redirects visible; on a real server they point at its loopback port.</summary>
    public WebApplicationFactoryClientOptions NoRedirects() => new()
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = UseRealServer ? ServerAddress : new Uri("http://localhost"),
    };

    public async Task<T> WithDbAsync<T>(Func<ControlPlaneDbContext, Task<T>> work)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync();
        return await work(db);
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public RegionCatalog Regions => Services.GetRequiredService<RegionCatalog>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!OwnsStorage)
        {
            GC.SuppressFinalize(this);
            return;
        }

        await Database.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }
}
