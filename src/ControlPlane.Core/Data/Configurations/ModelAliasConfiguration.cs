using ControlPlane.Core.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class ModelAliasConfiguration : IEntityTypeConfiguration<ModelAlias>
{
    public void Configure(EntityTypeBuilder<ModelAlias> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(16);
        builder.Property(a => a.UpdatedBy).HasMaxLength(256);
        builder.Property(a => a.Revision).IsConcurrencyToken();
        builder.HasOne(a => a.Enrollment).WithMany().HasForeignKey(a => a.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(a => a.ModelVersion).WithMany().HasForeignKey(a => a.ModelVersionId).OnDelete(DeleteBehavior.NoAction);
        builder.HasIndex(a => new { a.EnrollmentId, a.Name }).IsUnique();
    }
}
