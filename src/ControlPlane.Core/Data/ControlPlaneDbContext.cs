using ControlPlane.Core.FeatureRules;
using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Sources;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Pipelines;
using ControlPlane.Core.Predictions;
using ControlPlane.Core.Registry;
using ControlPlane.Core.Security;
using ControlPlane.Core.Storage;
using ControlPlane.Core.Tenants;
using ControlPlane.Core.UseCases;
using ControlPlane.Core.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ControlPlane.Core.Data;

public sealed class ControlPlaneDbContext(DbContextOptions<ControlPlaneDbContext> options)
    : IdentityDbContext<ApplicationUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring, shared by every node so that cookies and protected secrets work on all of them.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<TenantApiKey> TenantApiKeys => Set<TenantApiKey>();
    public DbSet<Enrollment> Enrollments => Set<Enrollment>();
    public DbSet<UseCase> UseCases => Set<UseCase>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<DataUpload> DataUploads => Set<DataUpload>();
    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();
    public DbSet<DataSource> DataSources => Set<DataSource>();
    public DbSet<FeatureRuleVersion> FeatureRuleVersions => Set<FeatureRuleVersion>();
    public DbSet<ArtifactBlob> ArtifactBlobs => Set<ArtifactBlob>();
    public DbSet<AppSetting> AppSettings => Set<AppSetting>();
    public DbSet<PipelineRun> PipelineRuns => Set<PipelineRun>();
    public DbSet<TaskRun> TaskRuns => Set<TaskRun>();
    public DbSet<TaskAttempt> TaskAttempts => Set<TaskAttempt>();
    public DbSet<ExecutorNodeBeat> ExecutorNodeBeats => Set<ExecutorNodeBeat>();
    public DbSet<Security.IdempotencyRecord> IdempotencyRecords => Set<Security.IdempotencyRecord>();
    public DbSet<AttemptLogLine> AttemptLogLines => Set<AttemptLogLine>();
    public DbSet<PipelineSchedule> PipelineSchedules => Set<PipelineSchedule>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<ModelAlias> ModelAliases => Set<ModelAlias>();
    public DbSet<AliasChange> AliasChanges => Set<AliasChange>();
    public DbSet<PredictionPartition> PredictionPartitions => Set<PredictionPartition>();
    public DbSet<Prediction> Predictions => Set<Prediction>();
    public DbSet<Backfill> Backfills => Set<Backfill>();
    public DbSet<PredictionLogEntry> PredictionLog => Set<PredictionLogEntry>();
    public DbSet<Outcome> Outcomes => Set<Outcome>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<EnrollmentMonitoring> EnrollmentMonitoring => Set<EnrollmentMonitoring>();
    public DbSet<DriftWindow> DriftWindows => Set<DriftWindow>();
    public DbSet<DriftFeatureResult> DriftFeatureResults => Set<DriftFeatureResult>();
    public DbSet<PerformanceWindow> PerformanceWindows => Set<PerformanceWindow>();
    public DbSet<SlaResult> SlaResults => Set<SlaResult>();
    public DbSet<PredictLatencyDay> PredictLatencyDays => Set<PredictLatencyDay>();
    public DbSet<EnrollmentHealth> EnrollmentHealth => Set<EnrollmentHealth>();
    public DbSet<DriftDayCount> DriftDayCounts => Set<DriftDayCount>();
    public DbSet<Datasets.Validation.EnrollmentValidation> EnrollmentValidation => Set<Datasets.Validation.EnrollmentValidation>();
    public DbSet<Predictions.Backtest> Backtests => Set<Predictions.Backtest>();
    public DbSet<Predictions.BacktestPeriod> BacktestPeriods => Set<Predictions.BacktestPeriod>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ControlPlaneDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }
}
