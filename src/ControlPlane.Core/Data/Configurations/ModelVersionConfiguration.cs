using ControlPlane.Core.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class ModelVersionConfiguration : IEntityTypeConfiguration<ModelVersion>
{
    public void Configure(EntityTypeBuilder<ModelVersion> builder)
    {
        builder.Property(v => v.Kind).HasMaxLength(16);
        builder.Property(v => v.Line).HasMaxLength(128);
        builder.Property(v => v.Region).HasMaxLength(32);
        builder.Property(v => v.DatasetSha256).HasMaxLength(64);
        builder.Property(v => v.Trainer).HasMaxLength(64);
        builder.Property(v => v.HeadlineMetric).HasMaxLength(32);
        builder.Property(v => v.LibraryVersion).HasMaxLength(64);
        builder.Property(v => v.CodeVersion).HasMaxLength(128);
        builder.Property(v => v.TriggeredBy).HasMaxLength(256);
        builder.Property(v => v.ArtifactPath).HasMaxLength(1024);
        builder.Property(v => v.ArtifactSha256).HasMaxLength(64);
        builder.Property(v => v.PredictionFingerprint).HasMaxLength(64);
        builder.Property(v => v.ServingChoice).HasMaxLength(16);
        builder.Property(v => v.ServingReason).HasMaxLength(1000);
        builder.HasOne(v => v.Enrollment).WithMany().HasForeignKey(v => v.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(v => v.UseCase).WithMany().HasForeignKey(v => v.UseCaseId).OnDelete(DeleteBehavior.Cascade);

        // No action, not restrict: checked at the end of the statement, so deleting an enrollment cascades through.
        builder.HasOne(v => v.DatasetVersion).WithMany().HasForeignKey(v => v.DatasetVersionId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne(v => v.PooledVersion).WithMany().HasForeignKey(v => v.PooledVersionId).OnDelete(DeleteBehavior.NoAction);

        // Unique: two registrations racing for a number cannot both take it.
        builder.HasIndex(v => new { v.Line, v.Number }).IsUnique();
        builder.HasIndex(v => new { v.UseCaseId, v.Region, v.Kind });

        // The retrain pipeline finds what its run registered (retried tasks stay idempotent).
        builder.HasIndex(v => v.RunId);
    }
}
