using System.Text.Json;
using ControlPlane.Core.UseCases;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ControlPlane.Core.Data.Configurations;

internal sealed class UseCaseConfiguration : IEntityTypeConfiguration<UseCase>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public void Configure(EntityTypeBuilder<UseCase> builder)
    {
        builder.Property(u => u.Key).HasMaxLength(48);
        builder.Property(u => u.Name).HasMaxLength(200);
        builder.Property(u => u.Description).HasMaxLength(2000);
        builder.Property(u => u.LabelColumn).HasMaxLength(128);
        builder.Property(u => u.EntityKeyColumn).HasMaxLength(128);
        builder.Property(u => u.EventTimeColumn).HasMaxLength(128);
        builder.Property(u => u.CreatedBy).HasMaxLength(256);
        builder.HasIndex(u => u.Key).IsUnique();

        // Stored as a JSON document: it is always read and written whole with its use case.
        builder.Property(u => u.DefaultFeatures)
            .HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                v => JsonSerializer.Deserialize<List<FeatureColumn>>(v, Json) ?? new List<FeatureColumn>())
            .Metadata.SetValueComparer(new ValueComparer<List<FeatureColumn>>(
                (a, b) => a!.SequenceEqual(b!),
                v => v.Aggregate(0, (h, f) => HashCode.Combine(h, f.GetHashCode())),
                v => v.ToList()));
    }
}
