using ControlPlane.Core.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class PipelineRunConfiguration : IEntityTypeConfiguration<PipelineRun>
{
    public void Configure(EntityTypeBuilder<PipelineRun> builder)
    {
        builder.Property(r => r.Pipeline).HasMaxLength(64);
        builder.Property(r => r.TenantSlug).HasMaxLength(48);
        builder.Property(r => r.UseCase).HasMaxLength(48);
        builder.Property(r => r.Trigger).HasMaxLength(32);
        builder.Property(r => r.TriggeredBy).HasMaxLength(256);
        builder.Property(r => r.Error).HasMaxLength(4000);
        builder.Property(r => r.Warning).HasMaxLength(2000);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasMany(r => r.Tasks).WithOne(t => t.Run).HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Cascade);

        // Run history is searched by time, narrowed by tenant, use case, pipeline or state.
        builder.HasIndex(r => r.CreatedAt);
        builder.HasIndex(r => new { r.TenantSlug, r.CreatedAt });
        builder.HasIndex(r => new { r.Pipeline, r.CreatedAt });
        builder.HasIndex(r => new { r.State, r.CreatedAt });
        builder.HasIndex(r => new { r.UseCase, r.CreatedAt });
        builder.HasIndex(r => r.ParentRunId);
    }
}

internal sealed class TaskRunConfiguration : IEntityTypeConfiguration<TaskRun>
{
    public void Configure(EntityTypeBuilder<TaskRun> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(64);
        builder.Property(t => t.Upstream); // unbounded: a fan-in task may wait for thousands of tasks
        builder.Property(t => t.Pool).HasMaxLength(32);
        builder.Property(t => t.FairKey).HasMaxLength(64);
        builder.Property(t => t.ProgressMessage).HasMaxLength(500);
        builder.Property(t => t.Error).HasMaxLength(4000);
        builder.Property(t => t.Node).HasMaxLength(128);
        builder.Ignore(t => t.UpstreamNames);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasIndex(t => new { t.RunId, t.Name }).IsUnique();

        // The dispatcher's questions: what is queued in a pool (by share, oldest first), what is active on a node.
        builder.HasIndex(t => new { t.State, t.Pool, t.FairKey, t.ReadyAt });
        builder.HasIndex(t => new { t.Node, t.State });
    }
}

internal sealed class TaskAttemptConfiguration : IEntityTypeConfiguration<TaskAttempt>
{
    public void Configure(EntityTypeBuilder<TaskAttempt> builder)
    {
        builder.Property(a => a.Node).HasMaxLength(128);
        builder.Property(a => a.Error).HasMaxLength(4000);
        builder.HasIndex(a => new { a.TaskRunId, a.Number }).IsUnique();
        builder.HasIndex(a => new { a.State, a.Node });
        builder.HasOne<TaskRun>().WithMany().HasForeignKey(a => a.TaskRunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExecutorNodeBeatConfiguration : IEntityTypeConfiguration<ExecutorNodeBeat>
{
    public void Configure(EntityTypeBuilder<ExecutorNodeBeat> builder)
    {
        builder.HasKey(b => b.NodeId);
        builder.Property(b => b.NodeId).HasMaxLength(128);
    }
}

internal sealed class AttemptLogLineConfiguration : IEntityTypeConfiguration<AttemptLogLine>
{
    public void Configure(EntityTypeBuilder<AttemptLogLine> builder)
    {
        builder.Property(l => l.Level).HasMaxLength(16);
        builder.Property(l => l.Message).HasMaxLength(4000);
        builder.HasIndex(l => new { l.AttemptId, l.Id });
        builder.HasIndex(l => l.RunId);
    }
}

internal sealed class PipelineScheduleConfiguration : IEntityTypeConfiguration<PipelineSchedule>
{
    public void Configure(EntityTypeBuilder<PipelineSchedule> builder)
    {
        builder.Property(s => s.Pipeline).HasMaxLength(64);
        builder.Property(s => s.TenantSlug).HasMaxLength(48);
        builder.Property(s => s.UseCase).HasMaxLength(48);
        builder.Property(s => s.Cron).HasMaxLength(120);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.HasIndex(s => new { s.TenantSlug, s.UseCase, s.Pipeline }).IsUnique();
    }
}
