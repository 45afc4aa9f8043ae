using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ControlPlane.Core.Data;

/// <summary>Every timestamp is UTC: stored as given, read back with <see cref="DateTimeKind.Utc"/> (SQLite forgets the kind).</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
