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

        // The list is read newest first, the bell counts the unread.
        builder.HasIndex(n => n.CreatedAt);
        builder.HasIndex(n => n.ReadAt);
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
