namespace ControlPlane.Core.Startup;

/// <summary>Seeds the demo tenants with generated data on first start (filled in once the generator lands).</summary>
public sealed class DemoSeeder
{
    public Task SeedIfEmptyAsync(CancellationToken ct) => Task.CompletedTask;
}
