using ControlPlane.Core.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class EnrollmentConfiguration : IEntityTypeConfiguration<Enrollment>
{
    public void Configure(EntityTypeBuilder<Enrollment> builder)
    {
        builder.Property(e => e.CreatedBy).HasMaxLength(256);
        builder.HasIndex(e => new { e.TenantId, e.UseCaseId }).IsUnique();
        builder.HasIndex(e => e.UseCaseId);
        builder.HasOne(e => e.UseCase).WithMany().HasForeignKey(e => e.UseCaseId).OnDelete(DeleteBehavior.Restrict);
    }
}
