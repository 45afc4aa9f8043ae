using ControlPlane.Core.Datasets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class DataUploadConfiguration : IEntityTypeConfiguration<DataUpload>
{
    public void Configure(EntityTypeBuilder<DataUpload> builder)
    {
        builder.Property(u => u.FileName).HasMaxLength(260);
        builder.Property(u => u.StoragePath).HasMaxLength(1024);
        builder.Property(u => u.Region).HasMaxLength(32);
        builder.Property(u => u.Sha256).HasMaxLength(64);
        builder.Property(u => u.UploadedBy).HasMaxLength(256);
        builder.HasOne(u => u.Enrollment).WithMany().HasForeignKey(u => u.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(u => new { u.EnrollmentId, u.UploadedAt });
    }
}
