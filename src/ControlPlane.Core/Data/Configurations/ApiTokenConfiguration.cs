using ControlPlane.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.Role).HasMaxLength(32);
        builder.Property(t => t.Prefix).HasMaxLength(16);
        builder.Property(t => t.Hash).HasMaxLength(64);
        builder.Property(t => t.CreatedBy).HasMaxLength(256);
        builder.Property(t => t.Scope).HasMaxLength(16000);
        builder.HasIndex(t => t.Prefix).IsUnique();
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<ControlPlane.Core.Security.IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<ControlPlane.Core.Security.IdempotencyRecord> builder)
    {
        builder.HasKey(r => new { r.Owner, r.Key });
        builder.Property(r => r.Owner).HasMaxLength(128);
        builder.Property(r => r.Key).HasMaxLength(128);
        builder.Property(r => r.Method).HasMaxLength(16);
        builder.Property(r => r.Path).HasMaxLength(1000);
        builder.Property(r => r.BodyHash).HasMaxLength(64);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.Property(r => r.Location).HasMaxLength(1000);
        builder.HasIndex(r => r.CreatedAt);
    }
}
