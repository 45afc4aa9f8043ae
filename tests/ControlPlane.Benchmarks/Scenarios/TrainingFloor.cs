using System.Diagnostics;
using ControlPlane.Core.DemoData;
using ControlPlane.Executor.Pipelines;
using ControlPlane.ML.Training;

namespace ControlPlane.Benchmarks.Scenarios;

/// <summary>
/// The pure training a retrain-all does, outside the executor, on the same inputs its tasks read
/// (<see cref="TrainingDataChoice"/>: each tenant's dataset version and effective rules) and with the same settings:
/// each region's pooled model (<see cref="PooledTrainer.Train"/>, one region after the other as the <c>pooled</c> task
/// trains them), then every tenant's <see cref="ModelTrainer.Train"/> with as many at once as the "training" pool
/// runs. Only the trainer calls are timed, after a warm-up (JIT, ML.NET's first use) that the executor's run, which
/// comes after, does not pay either; reading the data is not timed.
/// </summary>
/// <param name="CpuSeconds">CPU this process used during the timed trainer calls.</param>
public sealed record TrainingFloor(TimeSpan Pooled, TimeSpan Tenants, TimeSpan TenantsSum, int Parallelism, double CpuSeconds)
{
    /// <summary>The critical path of pure training: the pooled step is a barrier before the tenants' retrains start.</summary>
    public TimeSpan Total => Pooled + Tenants;

    public static async Task<TrainingFloor> MeasureAsync(
        IServiceProvider services, IReadOnlyList<DemoTenant> tenants, string useCase, TrainingSettings settings, int parallelism, CancellationToken ct)
    {
        var choices = new List<(string Region, string Tenant, TrainingDataChoice Choice)>();
        foreach (var tenant in tenants.OrderBy(t => t.Slug, StringComparer.Ordinal))
        {
            choices.Add((tenant.Region, tenant.Slug, await TrainingDataChoice.MakeAsync(services, tenant.Slug, useCase, null, ct)));
        }

        // Warm-up: one tenant's training and a pool of two, untimed.
        var canonical = choices.Take(2).Select(c => CanonicalTable.From(c.Choice.Data, c.Choice.Effective, c.Choice.Defaults, settings, c.Tenant)).ToArray();
        PooledTrainer.Train(canonical, choices[0].Choice.Defaults, settings, ct: ct);
        ModelTrainer.Train(choices[0].Choice.Data, choices[0].Choice.Effective, choices[0].Choice.Lineage.Task, settings, ct: ct);

        var pooled = TimeSpan.Zero;
        var cpu = 0.0;
        foreach (var region in choices.GroupBy(c => c.Region).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var tables = region.Select(c => CanonicalTable.From(c.Choice.Data, c.Choice.Effective, c.Choice.Defaults, settings, c.Tenant)).ToArray();
            var meter = new CpuMeter();
            PooledTrainer.Train(tables, region.First().Choice.Defaults, settings, ct: ct);
            var use = meter.Read();
            pooled += TimeSpan.FromSeconds(use.WallSeconds);
            cpu += use.ProcessSeconds;
        }

        long sumTicks = 0;
        var tenantsMeter = new CpuMeter();
        await Parallel.ForEachAsync(choices, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, (c, token) =>
        {
            var watch = Stopwatch.StartNew();
            ModelTrainer.Train(c.Choice.Data, c.Choice.Effective, c.Choice.Lineage.Task, settings, ct: token);
            Interlocked.Add(ref sumTicks, watch.Elapsed.Ticks);
            return ValueTask.CompletedTask;
        });
        var tenantsUse = tenantsMeter.Read();
        return new TrainingFloor(pooled, TimeSpan.FromSeconds(tenantsUse.WallSeconds), TimeSpan.FromTicks(sumTicks), parallelism, cpu + tenantsUse.ProcessSeconds);
    }
}
