using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Infrastructure;

/// <summary>One app and database per test class and provider; tests in a class use distinct tenant slugs.</summary>
public class AppFixture<TProvider> : IAsyncLifetime where TProvider : IProviderKind
{
    private ControlPlaneApp? _app;

    public ControlPlaneApp App => _app ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Settings this fixture's app starts with, on top of the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    /// <summary>True to host the app on a real loopback port (Kestrel) instead of the in-memory test server.</summary>
    protected virtual bool RealServer => false;

    /// <summary>Services this fixture's app gets on top of its own (test pipelines, a fake clock).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        _app = new ControlPlaneApp(await TProvider.CreateDatabaseAsync()) { UseRealServer = RealServer };
        foreach (var (key, value) in Settings)
        {
            _app.Settings[key] = value;
        }

        _app.TestServices.Add(ConfigureServices);

        _ = _app.Server; // start the host: migrations and seeding run now, not inside the first test
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
