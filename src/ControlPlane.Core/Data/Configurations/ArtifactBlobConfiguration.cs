using ControlPlane.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class ArtifactBlobConfiguration : IEntityTypeConfiguration<ArtifactBlob>
{
    public void Configure(EntityTypeBuilder<ArtifactBlob> builder)
    {
        builder.HasKey(b => new { b.Region, b.Path });
        builder.Property(b => b.Region).HasMaxLength(32);
        builder.Property(b => b.Path).HasMaxLength(1024);
    }
}
