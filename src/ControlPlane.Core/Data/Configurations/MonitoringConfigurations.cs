using ControlPlane.Core.Monitoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.Kind).HasMaxLength(32);
        builder.Property(n => n.Title).HasMaxLength(200);
        builder.Property(n => n.Message).HasMaxLength(4000);
        builder.Property(n => n.TenantSlug).HasMaxLength(48);
        builder.Property(n => n.UseCaseKey).HasMaxLength(48);
        builder.Property(n => n.Link).HasMaxLength(500);
        builder.Property(n => n.Key).HasMaxLength(300);
        builder.Property(n => n.OpenKey).HasMaxLength(300);
        builder.Property(n => n.AcknowledgedBy).HasMaxLength(256);
        builder.Property(n => n.SnoozedBy).HasMaxLength(256);
        builder.Property(n => n.ResolvedBy).HasMaxLength(256);
        builder.Property(n => n.ResolvedNote).HasMaxLength(1000);

        // The list is read newest first, the bell counts the unread; one unresolved alert per key; a group's members by their group.
        builder.HasIndex(n => n.CreatedAt);
        builder.HasIndex(n => n.ReadAt);
        builder.HasIndex(n => n.OpenKey).IsUnique();
        builder.HasIndex(n => n.GroupId);
    }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.Property(e => e.Name).HasMaxLength(100);
        builder.Property(e => e.Url).HasMaxLength(2000);
        builder.Property(e => e.ProtectedSecret).HasMaxLength(1000);
        builder.Property(e => e.EventKinds).HasMaxLength(500);
        builder.Property(e => e.CreatedBy).HasMaxLength(256);
        builder.Ignore(e => e.Kinds);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.Property(d => d.ClaimedBy).HasMaxLength(64);
        builder.HasOne(d => d.Endpoint).WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.Notification).WithMany().HasForeignKey(d => d.NotificationId).OnDelete(DeleteBehavior.Cascade);

        // Every node polls for due pending deliveries.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.EndpointId, d.CreatedAt });
    }
}

internal sealed class EnrollmentMonitoringConfiguration : IEntityTypeConfiguration<EnrollmentMonitoring>
{
    public void Configure(EntityTypeBuilder<EnrollmentMonitoring> builder)
    {
        builder.HasKey(m => m.EnrollmentId);
        builder.Property(m => m.UpdatedBy).HasMaxLength(256);
        builder.HasOne<Tenants.Enrollment>().WithOne().HasForeignKey<EnrollmentMonitoring>(m => m.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DriftWindowConfiguration : IEntityTypeConfiguration<DriftWindow>
{
    public void Configure(EntityTypeBuilder<DriftWindow> builder)
    {
        builder.Property(w => w.Source).HasMaxLength(16);
        builder.Property(w => w.Status).HasMaxLength(16);
        builder.Property(w => w.PredictionStatus).HasMaxLength(16);
        builder.HasOne<Tenants.Enrollment>().WithMany().HasForeignKey(w => w.EnrollmentId).OnDelete(DeleteBehavior.Cascade);

        // One check per enrollment, source and day: a new check replaces it.
        builder.HasIndex(w => new { w.EnrollmentId, w.Source, w.Day }).IsUnique();
        builder.HasIndex(w => w.Day);
    }
}

internal sealed class DriftDayCountConfiguration : IEntityTypeConfiguration<DriftDayCount>
{
    public void Configure(EntityTypeBuilder<DriftDayCount> builder)
    {
        builder.Property(d => d.Source).HasMaxLength(16);
        builder.Property(d => d.Feature).HasMaxLength(200);
        builder.Property(d => d.Counts).HasMaxLength(20_000);
        builder.HasOne<Tenants.Enrollment>().WithMany().HasForeignKey(d => d.EnrollmentId).OnDelete(DeleteBehavior.Cascade);

        // One count per enrollment, source, day and column; a period is a range of days.
        builder.HasIndex(d => new { d.EnrollmentId, d.Source, d.Day, d.Feature }).IsUnique();
    }
}

internal sealed class DriftFeatureResultConfiguration : IEntityTypeConfiguration<DriftFeatureResult>
{
    public void Configure(EntityTypeBuilder<DriftFeatureResult> builder)
    {
        builder.Property(f => f.Feature).HasMaxLength(200);
        builder.Property(f => f.Kind).HasMaxLength(16);
        builder.Property(f => f.Status).HasMaxLength(16);
        builder.Property(f => f.Test).HasMaxLength(16);
        builder.Property(f => f.Reason).HasMaxLength(1000);
        builder.Property(f => f.Rule).HasMaxLength(300);
        builder.HasOne(f => f.Window).WithMany(w => w.Features).HasForeignKey(f => f.WindowId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => new { f.WindowId, f.Feature }).IsUnique();
        builder.HasIndex(f => new { f.EnrollmentId, f.Feature });
    }
}

internal sealed class PerformanceWindowConfiguration : IEntityTypeConfiguration<PerformanceWindow>
{
    public void Configure(EntityTypeBuilder<PerformanceWindow> builder)
    {
        builder.Property(p => p.Kind).HasMaxLength(16);
        builder.Property(p => p.Metric).HasMaxLength(64);
        builder.Property(p => p.Status).HasMaxLength(16);
        builder.Property(p => p.Reason).HasMaxLength(1000);
        builder.HasOne<Tenants.Enrollment>().WithMany().HasForeignKey(p => p.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => new { p.EnrollmentId, p.Kind, p.Metric, p.Day }).IsUnique();
    }
}

internal sealed class SlaResultConfiguration : IEntityTypeConfiguration<SlaResult>
{
    public void Configure(EntityTypeBuilder<SlaResult> builder)
    {
        builder.Property(s => s.Kind).HasMaxLength(32);
        builder.Property(s => s.Note).HasMaxLength(1000);
        builder.HasOne<Tenants.Enrollment>().WithMany().HasForeignKey(s => s.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.EnrollmentId, s.Kind, s.Day }).IsUnique();
    }
}

internal sealed class PredictLatencyDayConfiguration : IEntityTypeConfiguration<PredictLatencyDay>
{
    public void Configure(EntityTypeBuilder<PredictLatencyDay> builder)
    {
        builder.HasKey(l => new { l.EnrollmentId, l.Day, l.Node });
        builder.Property(l => l.Node).HasMaxLength(200);
        builder.Property(l => l.Buckets).HasMaxLength(4000);
        builder.HasOne<Tenants.Enrollment>().WithMany().HasForeignKey(l => l.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EnrollmentHealthConfiguration : IEntityTypeConfiguration<EnrollmentHealth>
{
    public void Configure(EntityTypeBuilder<EnrollmentHealth> builder)
    {
        builder.HasKey(h => h.EnrollmentId);
        builder.Property(h => h.Drift).HasMaxLength(16);
        builder.Property(h => h.DriftNote).HasMaxLength(300);
        builder.Property(h => h.DriftFeatures).HasMaxLength(400);
        builder.Property(h => h.Decay).HasMaxLength(16);
        builder.Property(h => h.DecayNote).HasMaxLength(300);
        builder.Property(h => h.Sla).HasMaxLength(16);
        builder.Property(h => h.SlaNote).HasMaxLength(300);
        builder.Property(h => h.Verdict).HasMaxLength(16);
        builder.Property(h => h.VerdictReason).HasMaxLength(500);
        builder.Property(h => h.VerdictEvidence).HasMaxLength(4000);
        builder.Property(h => h.AlertedVerdict).HasMaxLength(16);
        builder.HasIndex(h => h.Verdict);
        builder.HasOne<Tenants.Enrollment>().WithOne().HasForeignKey<EnrollmentHealth>(h => h.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
