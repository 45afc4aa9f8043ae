using ControlPlane.Core.DemoData;
using ControlPlane.Executor.Definitions;
using ControlPlane.Executor.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// The work of a retrain-all without the executor: the same task bodies of the same pipeline definitions, called one
/// after the other in their DAG order — the <c>pooled</c> task, then each tenant's <c>retrain</c> tasks (ingest through
/// promote-gate), <see cref="Parallelism"/> tenants at a time — with no run or task records, no dispatch, no progress
/// or log writes. What the real run takes beyond this is the executor's own cost.
/// </summary>
/// <param name="CpuSeconds">CPU this process used meanwhile.</param>
public sealed record DirectRetrainAll(TimeSpan Pooled, TimeSpan Tenants, int Parallelism, double CpuSeconds)
{
    public TimeSpan Total => Pooled + Tenants;

    public static async Task<DirectRetrainAll> MeasureAsync(
        IServiceProvider services, IReadOnlyList<DemoTenant> tenants, string useCase, int parallelism, CancellationToken ct)
    {
        var catalog = services.GetRequiredService<PipelineCatalog>();
        var all = catalog.Get(RetrainPipelines.RetrainAll);
        var retrain = catalog.Get(RetrainPipelines.Retrain);

        var pooledMeter = new CpuMeter();
        await RunAsync(services, all, all.Find(PooledTask.Name)!, tenant: null, useCase, Guid.NewGuid(), ct);
        var pooled = pooledMeter.Read();

        var tenantsMeter = new CpuMeter();
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (tenant, token) =>
        {
            var runId = Guid.NewGuid();
            foreach (var task in retrain.Tasks)
            {
                await RunAsync(services, retrain, task, tenant.Slug, useCase, runId, token);
            }
        });
        var tenantsUse = tenantsMeter.Read();
        return new DirectRetrainAll(TimeSpan.FromSeconds(pooled.WallSeconds), TimeSpan.FromSeconds(tenantsUse.WallSeconds), parallelism,
            pooled.ProcessSeconds + tenantsUse.ProcessSeconds);
    }

    private static async Task RunAsync(
        IServiceProvider services, PipelineDefinition pipeline, TaskDefinition task, string? tenant, string useCase, Guid runId, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new TaskContext(runId, pipeline.Name, task.Name, 1, tenant, useCase, new Dictionary<string, string>(),
            scope.ServiceProvider, NullLogger.Instance, (_, _) => Task.CompletedTask, ct);
        if (task.HandlerType is { } type)
        {
            await ((IPipelineTask)ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type)).ExecuteAsync(context);
        }
        else
        {
            await task.Delegate!(context);
        }
    }
}
