using Microsoft.Extensions.Hosting;

namespace ControlPlane.Executor;

public static class DependencyInjection
{
    /// <summary>The embedded pipeline executor. Quartz scheduling, DAG state and pools arrive with the executor issue.</summary>
    public static IHostApplicationBuilder AddControlPlaneExecutor(this IHostApplicationBuilder builder) => builder;
}
