using ControlPlane.Core.Predictions;
using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class PredictionPartitionConfiguration : IEntityTypeConfiguration<PredictionPartition>
{
    public void Configure(EntityTypeBuilder<PredictionPartition> builder)
    {
        builder.Property(p => p.Kind).HasMaxLength(16);
        builder.Property(p => p.Key).HasMaxLength(64);
        builder.Property(p => p.State).HasMaxLength(16);
        builder.Property(p => p.Models).HasMaxLength(1000);
        builder.Property(p => p.Note).HasMaxLength(2000);
        builder.HasOne(p => p.Enrollment).WithMany().HasForeignKey(p => p.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(p => p.Backfill).WithMany().HasForeignKey(p => p.BackfillId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(p => new { p.EnrollmentId, p.Key, p.State });
        builder.HasIndex(p => p.BackfillId);
        builder.HasIndex(p => p.RunId);
    }
}

internal sealed class PredictionConfiguration : IEntityTypeConfiguration<Prediction>
{
    public void Configure(EntityTypeBuilder<Prediction> builder)
    {
        // The only index: predictions are written a partition at a time and read a partition at a time.
        builder.HasKey(p => new { p.PartitionId, p.Row });
        builder.Property(p => p.EntityKey).HasMaxLength(256);
        builder.Property(p => p.Label).HasMaxLength(256);
        // No foreign key to the partition: PostgreSQL checks one per row (a trigger and a lookup each), which took two
        // thirds of the server's time of a batch COPY. The writer and offboarding keep rows and partitions together
        // instead (decision 0021).
    }
}

internal sealed class BackfillConfiguration : IEntityTypeConfiguration<Backfill>
{
    public void Configure(EntityTypeBuilder<Backfill> builder)
    {
        builder.Property(b => b.CreatedBy).HasMaxLength(256);
        builder.HasOne(b => b.Enrollment).WithMany().HasForeignKey(b => b.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(b => b.RunId).IsUnique();
        builder.HasIndex(b => new { b.EnrollmentId, b.CreatedAt });
    }
}

internal sealed class PredictionLogEntryConfiguration : IEntityTypeConfiguration<PredictionLogEntry>
{
    public void Configure(EntityTypeBuilder<PredictionLogEntry> builder)
    {
        builder.Property(e => e.Source).HasMaxLength(16);
        builder.Property(e => e.EntityKey).HasMaxLength(256);
        builder.Property(e => e.Label).HasMaxLength(256);
        builder.HasOne<Enrollment>().WithMany().HasForeignKey(e => e.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.EnrollmentId, e.At });
        builder.HasIndex(e => new { e.EnrollmentId, e.EntityKey });
    }
}

internal sealed class OutcomeConfiguration : IEntityTypeConfiguration<Outcome>
{
    public void Configure(EntityTypeBuilder<Outcome> builder)
    {
        builder.Property(o => o.EntityKey).HasMaxLength(256);
        builder.Property(o => o.Label).HasMaxLength(256);
        builder.HasOne<Enrollment>().WithMany().HasForeignKey(o => o.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        // One outcome per entity and moment: a repeated post replaces it (FeedbackService upserts).
        builder.HasIndex(o => new { o.EnrollmentId, o.EntityKey, o.OccurredAt }).IsUnique();
        builder.HasIndex(o => new { o.EnrollmentId, o.OccurredAt });
    }
}

internal sealed class BacktestConfiguration : IEntityTypeConfiguration<Backtest>
{
    public void Configure(EntityTypeBuilder<Backtest> builder)
    {
        builder.Property(b => b.CreatedBy).HasMaxLength(256);
        builder.HasOne<Enrollment>().WithMany().HasForeignKey(b => b.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(b => b.Periods).WithOne().HasForeignKey(p => p.BacktestId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(b => b.RunId).IsUnique();
        builder.HasIndex(b => new { b.EnrollmentId, b.CreatedAt });
    }
}

internal sealed class BacktestPeriodConfiguration : IEntityTypeConfiguration<BacktestPeriod>
{
    public void Configure(EntityTypeBuilder<BacktestPeriod> builder)
    {
        builder.Property(p => p.State).HasMaxLength(16);
        builder.Property(p => p.Trainer).HasMaxLength(128);
        builder.Property(p => p.Metric).HasMaxLength(32);
        builder.Property(p => p.Note).HasMaxLength(1000);
        builder.HasIndex(p => new { p.BacktestId, p.Index }).IsUnique();
    }
}
