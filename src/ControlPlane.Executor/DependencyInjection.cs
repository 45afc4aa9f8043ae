using ControlPlane.Core.Data;
using ControlPlane.Core.Options;
using ControlPlane.Executor.Definitions;
using ControlPlane.Executor.Engine;
using ControlPlane.Executor.Pipelines;
using ControlPlane.Executor.Runs;
using ControlPlane.Executor.Schedules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace ControlPlane.Executor;

public static class DependencyInjection
{
    /// <summary>
    /// The embedded pipeline executor: pipeline catalog, DAG engine, run service everywhere; on nodes that execute,
    /// the dispatcher loop and Quartz (SQLite file store on the embedded default, clustered store on PostgreSQL).
    /// </summary>
    public static IHostApplicationBuilder AddControlPlaneExecutor(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ExecutorOptions>().BindConfiguration(ExecutorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var settings = builder.Configuration.GetSection(ExecutorOptions.Section).Get<ExecutorOptions>() ?? new ExecutorOptions();
        var core = builder.Configuration.GetSection(ControlPlaneOptions.Section).Get<ControlPlaneOptions>() ?? new ControlPlaneOptions();

        services.AddSingleton(DemoPipelines.Definition());
        services.AddSingleton(DemoPipelines.FanOutDefinition());
        services.AddSingleton(DataPipelines.Definition());
        services.AddSingleton(DataPipelines.FanOutDefinition());
        services.AddSingleton(RetrainPipelines.Definition());
        services.AddSingleton(RetrainPipelines.AllDefinition());
        services.AddSingleton(ReproducePipeline.Definition());
        services.AddSingleton(ScoringPipelines.BatchScoreDefinition());
        services.AddSingleton(ScoringPipelines.BackfillDefinition());
        services.AddSingleton(ScoringPipelines.BacktestDefinition());
        services.AddSingleton(DriftPipelines.Definition());
        services.AddSingleton(MonitoringPipelines.Definition());
        services.AddSingleton(MonitoringPipelines.AllDefinition());
        services.AddSingleton(HousekeepingPipelines.Definition());
        services.AddSingleton<PipelineCatalog>();
        services.AddHostedService<PipelineCatalogCheck>();
        services.AddSingleton<ExecutorNode>();
        services.AddSingleton<RunEvents>();
        services.AddSingleton<DagEngine>();
        services.AddSingleton<LocalAttempts>();
        services.AddSingleton<ExecutorMetrics>();
        services.AddSingleton<RunService>();
        services.AddSingleton<RetrainStarter>();
        services.AddSingleton<RetrainPolicy>();
        services.AddSingleton<ScoringStarter>();
        services.AddSingleton<DriftStarter>();
        services.AddSingleton<ScheduleService>();
        services.AddHostedService<ClusterEventBus>();

        var node = new ExecutorNode(Microsoft.Extensions.Options.Options.Create(settings));
        if (!node.Executes)
        {
            return builder;
        }

        services.AddSingleton<AttemptLogSink>();
        services.AddHostedService(sp => sp.GetRequiredService<AttemptLogSink>());
        services.AddSingleton<IAttemptLauncher, QuartzAttemptLauncher>();
        services.AddSingleton<Dispatcher>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<NodeLiveness>();
        services.AddSingleton<ExecutorLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<ExecutorLoop>());
        services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler", tags: [Core.Common.HealthTags.Ready]);
        services.AddSingleton<ScheduleSync>();
        services.AddHostedService<ScheduleSyncLoop>();
        services.AddSingleton<MonitoringSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitoringSweep>());
        services.AddSingleton<HousekeepingSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<HousekeepingSweep>());
        AddQuartz(services, settings, core, node.Id);
        return builder;
    }

    private static void AddQuartz(IServiceCollection services, ExecutorOptions settings, ControlPlaneOptions core, string nodeId)
    {
        var clustered = settings.Clustered && core.Database.Provider == DatabaseProvider.Postgres;
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "ControlPlane";
                // Quartz recovers, at start, only the firings recorded under its own instance id. A store without
                // clustering belongs to one scheduler, so it gets the same id at every start; the node id (host name
                // and process id by default) would change with each process and leave a crashed attempt running for ever.
                o.InstanceId = clustered ? nodeId : "standalone";
                o.IdleWaitTime = TimeSpan.FromSeconds(1);
            });
            q.UseDefaultThreadPool(o => o.MaxConcurrency = settings.Pools.Values.Sum() + 4);
            q.AddJobType<TaskAttemptJob>();
            q.AddJobType<ScheduledRunJob>();
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                store.ConfigureStore(o => o.MisfireThreshold = TimeSpan.FromSeconds(settings.MisfireThresholdSeconds));
                if (core.Database.Provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(DatabaseSetup.PostgresConnectionString(core.Database.ConnectionString!));
                    if (clustered)
                    {
                        store.UseClustering(c =>
                        {
                            c.CheckinInterval = TimeSpan.FromSeconds(settings.ClusterCheckinSeconds);
                            c.CheckinMisfireThreshold = TimeSpan.FromSeconds(settings.ClusterCheckinSeconds * 2);
                        });
                    }
                }
                else
                {
                    // Its own file: Quartz's writes and the product's do not queue behind one SQLite write lock.
                    store.UseSqlite(QuartzSqlite(core));
                }
            });
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
    }

    private static string QuartzSqlite(ControlPlaneOptions core)
    {
        var folder = Path.GetFullPath(core.DataDirectory);
        Directory.CreateDirectory(folder);
        var connectionString = $"Data Source={Path.Combine(folder, "quartz.db")};Pooling=True;Default Timeout=30";
        SqlitePragmas.ApplyTo(connectionString); // write-ahead logging is a property of the file: set once, kept
        return connectionString;
    }
}
