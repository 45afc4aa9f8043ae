using ControlPlane.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

/// <summary>An app with the test pipelines, a one-slot pool for fair-share tests, and a short dispatcher poll.</summary>
public class ExecutorFixture<TProvider> : AppFixture<TProvider> where TProvider : IProviderKind
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        [$"ControlPlane:Executor:Pools:{TestPipelines.FairPool}"] = "1",
        ["ControlPlane:Executor:PollIntervalMilliseconds"] = "50",
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        foreach (var definition in TestPipelines.All())
        {
            services.AddSingleton(definition);
        }
    }
}
