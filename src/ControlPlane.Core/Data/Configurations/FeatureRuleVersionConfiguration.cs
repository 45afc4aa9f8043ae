using ControlPlane.Core.FeatureRules;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class FeatureRuleVersionConfiguration : IEntityTypeConfiguration<FeatureRuleVersion>
{
    public void Configure(EntityTypeBuilder<FeatureRuleVersion> builder)
    {
        builder.Property(v => v.Comment).HasMaxLength(500);
        builder.Property(v => v.CreatedBy).HasMaxLength(256);
        builder.HasOne(v => v.Enrollment).WithMany().HasForeignKey(v => v.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(v => new { v.EnrollmentId, v.Number }).IsUnique();
    }
}
