namespace ControlPlane.IntegrationTests.Infrastructure;

/// <summary>One app and database per test class and provider; tests in a class use distinct tenant slugs.</summary>
public sealed class AppFixture<TProvider> : IAsyncLifetime where TProvider : IProviderKind
{
    private ControlPlaneApp? _app;

    public ControlPlaneApp App => _app ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        _app = new ControlPlaneApp(await TProvider.CreateDatabaseAsync());
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
