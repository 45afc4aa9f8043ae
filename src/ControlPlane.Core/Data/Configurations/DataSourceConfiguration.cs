using ControlPlane.Core.Datasets.Sources;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class DataSourceConfiguration : IEntityTypeConfiguration<DataSource>
{
    public void Configure(EntityTypeBuilder<DataSource> builder)
    {
        builder.Property(s => s.Kind).HasMaxLength(16);
        builder.Property(s => s.Host).HasMaxLength(256);
        builder.Property(s => s.Database).HasMaxLength(128);
        builder.Property(s => s.Username).HasMaxLength(128);
        builder.Property(s => s.WatermarkColumn).HasMaxLength(128);
        builder.Property(s => s.LastWatermark).HasMaxLength(256);
        builder.Property(s => s.PathPattern).HasMaxLength(1024);
        builder.Property(s => s.LastFile).HasMaxLength(1024);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.HasOne(s => s.Enrollment).WithMany().HasForeignKey(s => s.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.EnrollmentId).IsUnique();
    }
}
