using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.Property(t => t.Slug).HasMaxLength(48);
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Region).HasMaxLength(32);
        builder.Property(t => t.SearchText).HasMaxLength(260);
        builder.Property(t => t.CreatedBy).HasMaxLength(256);
        builder.HasIndex(t => t.Slug).IsUnique();
        // The list sorts by one column then the slug: composite indexes let every sort walk an index instead of sorting.
        builder.HasIndex(t => new { t.Name, t.Slug });
        builder.HasIndex(t => new { t.Region, t.Slug });
        builder.HasIndex(t => new { t.Region, t.Name, t.Slug });
        builder.HasIndex(t => new { t.CreatedAt, t.Slug });
        builder.HasMany(t => t.Enrollments).WithOne(e => e.Tenant).HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.ApiKeys).WithOne(k => k.Tenant).HasForeignKey(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
