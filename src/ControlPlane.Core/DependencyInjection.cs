using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Data;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Sources;
using ControlPlane.Core.Datasets.Validation;
using ControlPlane.Core.Home;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Options;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Serving;
using ControlPlane.Core.Security;
using ControlPlane.Core.Startup;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.Core.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ControlPlane.Core;

public static class DependencyInjection
{
    /// <summary>Options, the database (provider chosen from configuration), region stores and the feature services.</summary>
    public static IHostApplicationBuilder AddControlPlaneCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // First of all hosted services: the schema must exist before anything else (Data Protection, Quartz) reads it.
        services.AddHostedService<DatabaseInitializer>();
        services.AddOptions<ControlPlaneOptions>().BindConfiguration(ControlPlaneOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Database.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.Database.ConnectionString),
                "ControlPlane:Database:ConnectionString is required when ControlPlane:Database:Provider is Postgres.")
            .Validate(o => o.Regions.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count() == o.Regions.Count,
                "ControlPlane:Regions lists a region name twice.")
            .Validate(o => o.Monitoring.MaxRowsPerDay >= 1_000,
                "ControlPlane:Monitoring:MaxRowsPerDay must be at least 1000: a smaller sample would judge drift on too few rows.")
            .Validate(o => o.Monitoring.FleetMinTenants >= 2 && o.Monitoring.FleetShare is > 0 and <= 1,
                "ControlPlane:Monitoring:FleetMinTenants must be at least 2 and FleetShare above 0 and at most 1: a fleet-wide shift is several tenants.")
            .Validate(o => o.Egress.Allow.All(e => Security.EgressPolicy.CheckEntry(e) is null),
                $"{Security.EgressPolicy.AllowSetting} has an entry that is not an address, a CIDR network (10.0.0.0/8), a host name or a '*.suffix'.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Security.EgressPolicy>();
        services.AddSingleton<Security.TenantAccess>();

        services.AddDbContextFactory<ControlPlaneDbContext>((sp, options) =>
            DatabaseSetup.Configure(options, sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value));

        // The key ring lives in the database, encrypted with a master key held outside it (decision 0031).
        services.AddSingleton(sp => MasterKey.Load(
            sp.GetRequiredService<IOptions<ControlPlaneOptions>>().Value, sp.GetRequiredService<ILoggerFactory>().CreateLogger<MasterKey>()));
        services.AddSingleton<KeyRingEncryption>();
        services.AddDataProtection().SetApplicationName("ControlPlane").PersistKeysToDbContext<ControlPlaneDbContext>();
        services.AddOptions<KeyManagementOptions>().Configure<MasterKey>((o, key) => o.XmlEncryptor = new MasterKeyXmlEncryptor(key));
        AddIdentity(services);
        services.AddSingleton<RegionCatalog>();
        services.AddScoped<UploadService>();
        services.AddScoped<DatasetService>();
        services.AddScoped<DatasetValidationService>();
        services.AddScoped<ValidationPolicyService>();
        services.AddScoped<DatasetIngestService>();
        services.AddScoped<DataSourceService>();
        services.AddScoped<FeatureRuleService>();
        services.AddScoped<ModelRegistry>();
        services.AddScoped<CommonRowsComparison>();
        services.AddSingleton<IModelSource, RegistryModelSource>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<AliasMoves>();
        services.AddSingleton<AliasMovesBus>();
        services.AddHostedService(sp => sp.GetRequiredService<AliasMovesBus>());
        services.AddSingleton<ChampionDirectory>();
        services.AddSingleton<TenantKeyCache>();
        services.AddSingleton<Predictor>();
        services.AddSingleton<Monitoring.Sla.PredictLatencyRecorder>();
        services.AddSingleton<Monitoring.Sla.LatencyFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<Monitoring.Sla.LatencyFlusher>());
        services.AddSingleton<Monitoring.Sla.SlaChecks>();
        services.AddSingleton<Monitoring.Sla.SlaAdherenceService>();
        services.AddSingleton<Housekeeping.RetentionService>();
        services.AddSingleton<Monitoring.CrossTenant.UseCaseDriftService>();
        services.AddSingleton<PredictMetrics>();
        services.AddSingleton<Monitoring.DriftGauges>();
        services.AddSingleton<Monitoring.HealthGauges>();
        services.AddSingleton<Monitoring.Health.HealthVerdictService>();
        services.AddSingleton<Monitoring.Health.HealthQueries>();
        services.AddScoped<Monitoring.DriftCheck.DriftSamples>();
        services.AddSingleton<Monitoring.DriftCheck.DriftHealthUpdater>();
        services.AddSingleton<Monitoring.Fleet.FleetDrift>();
        services.AddScoped<Monitoring.Periods.PeriodDrift>();
        services.AddSingleton<Monitoring.Causes.RootCauses>();
        services.AddSingleton<Monitoring.Fleet.CostValue>();
        services.AddScoped<Monitoring.DriftCheck.DriftChecks>();
        services.AddScoped<Monitoring.DriftCheck.DriftQueries>();
        services.AddSingleton<WriteHealthCheck>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [Common.HealthTags.Ready])
            .AddCheck<WriteHealthCheck>("writes", tags: [Common.HealthTags.Ready]);
        services.AddSingleton<TenantRateLimiter>();
        services.AddSingleton<BatchScorer>();
        services.AddSingleton<PredictionWriter>();
        services.AddScoped<ScoringJobs>();
        services.AddScoped<Backtests>();
        services.AddSingleton<PredictionQueries>();
        services.AddSingleton<FeedbackService>();
        services.AddSingleton<DecayChecks>();
        services.AddSingleton<PerformanceQueries>();
        services.AddSingleton<PredictionLogBuffer>();
        services.AddHostedService(sp => sp.GetRequiredService<PredictionLogBuffer>());
        services.AddScoped<TenantService>();
        services.AddScoped<EnrollmentService>();
        services.AddScoped<UseCaseService>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<HomeMatrixService>();
        services.AddScoped<DemoSeeder>();
        AddAlerts(services);
        return builder;
    }

    /// <summary>Notifications (live on every node) and webhook deliveries (sent by every node, each attempt by one).</summary>
    private static void AddAlerts(IServiceCollection services)
    {
        services.AddSingleton<NotificationEvents>();
        services.AddSingleton<NotificationBus>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationBus>());
        services.AddSingleton<WebhookWakeUp>();
        services.AddSingleton<AlertService>();
        services.AddSingleton<MonitoringSettingsService>();
        services.AddSingleton<NotificationService>();
        services.AddSingleton<WebhookService>();
        services.AddHostedService<WebhookDispatcher>();
    }

    /// <summary>Users and roles with their EF Core stores; password and lock-out rules from the ControlPlane options.</summary>
    private static void AddIdentity(IServiceCollection services)
    {
        services.AddIdentityCore<ApplicationUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<IdentityRole>()
            .AddClaimsPrincipalFactory<Users.ScopedClaimsPrincipalFactory>()
            .AddEntityFrameworkStores<ControlPlaneDbContext>()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<IOptions<ControlPlaneOptions>>((o, cp) =>
        {
            o.Lockout.MaxFailedAccessAttempts = cp.Value.Security.MaxFailedSignInAttempts;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(cp.Value.Security.LockoutMinutes);
        });
    }
}
