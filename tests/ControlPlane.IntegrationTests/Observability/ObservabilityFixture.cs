using ControlPlane.IntegrationTests.Executor;
using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ControlPlane.IntegrationTests.Observability;

/// <summary>The test pipelines, no rate limit, task and request logs at Information captured in memory.</summary>
public sealed class ObservabilityFixture<TProvider> : ExecutorFixture<TProvider> where TProvider : IProviderKind
{
    public CapturedLogs Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["ControlPlane:Executor:PollIntervalMilliseconds"] = "50",
        ["ControlPlane:Serving:RequestsPerSecondPerTenant"] = "1000000",
        ["ControlPlane:Serving:BurstPerTenant"] = "1000000",
        ["Logging:LogLevel:ControlPlane"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore.Routing"] = "Information",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.AddSingleton<ILoggerProvider>(Logs);
    }
}
