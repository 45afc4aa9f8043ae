using ControlPlane.Core.Registry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class AliasChangeConfiguration : IEntityTypeConfiguration<AliasChange>
{
    public void Configure(EntityTypeBuilder<AliasChange> builder)
    {
        builder.Property(c => c.Alias).HasMaxLength(16);
        builder.Property(c => c.Actor).HasMaxLength(256);
        builder.Property(c => c.Reason).HasMaxLength(1000);
        builder.HasOne(c => c.Enrollment).WithMany().HasForeignKey(c => c.EnrollmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.FromVersion).WithMany().HasForeignKey(c => c.FromVersionId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne(c => c.ToVersion).WithMany().HasForeignKey(c => c.ToVersionId).OnDelete(DeleteBehavior.NoAction);

        // The history of an alias is one chain: a second change with the same sequence (a lost race) is refused.
        builder.HasIndex(c => new { c.EnrollmentId, c.Alias, c.Sequence }).IsUnique();
        builder.HasIndex(c => new { c.EnrollmentId, c.Alias, c.At });
    }
}
