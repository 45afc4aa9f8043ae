using ControlPlane.Core.Datasets;
using ControlPlane.Core.Datasets.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class DatasetVersionConfiguration : IEntityTypeConfiguration<DatasetVersion>
{
    public void Configure(EntityTypeBuilder<DatasetVersion> builder)
    {
        builder.Property(v => v.Sha256).HasMaxLength(64);
        builder.Property(v => v.FileName).HasMaxLength(260);
        builder.Property(v => v.SourceKind).HasMaxLength(32);
        builder.Property(v => v.RawPath).HasMaxLength(1024);
        builder.Property(v => v.SnapshotPath).HasMaxLength(1024);
        builder.Property(v => v.Region).HasMaxLength(32);
        builder.Property(v => v.ValidationOutcome).HasMaxLength(16);
        builder.Property(v => v.CreatedBy).HasMaxLength(256);
        builder.HasOne(v => v.Enrollment).WithMany().HasForeignKey(v => v.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.EnrollmentId, v.Number }).IsUnique();

        // Unique too: two concurrent uploads of the same bytes must end as one version, not two.
        builder.HasIndex(v => new { v.EnrollmentId, v.Sha256 }).IsUnique();
    }
}

internal sealed class EnrollmentValidationConfiguration : IEntityTypeConfiguration<EnrollmentValidation>
{
    public void Configure(EntityTypeBuilder<EnrollmentValidation> builder)
    {
        builder.HasKey(v => v.EnrollmentId);
        builder.Property(v => v.Reason).HasMaxLength(ValidationPolicyService.MaxReasonLength);
        builder.Property(v => v.UpdatedBy).HasMaxLength(256);
        builder.HasOne<Tenants.Enrollment>().WithOne().HasForeignKey<EnrollmentValidation>(v => v.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
