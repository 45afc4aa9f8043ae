namespace ControlPlane.Core.Common;

/// <summary>UTC "now" truncated to microseconds so values round-trip identically through SQLite and PostgreSQL.</summary>
public static class Clock
{
    public static DateTime Truncate(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);

    public static DateTime UtcNow(TimeProvider time) => Truncate(time.GetUtcNow().UtcDateTime);

    /// <summary>A stored time read back as UTC (what it always is in the database), or null.</summary>
    public static DateTime? Utc(DateTime? at) => at is { } a ? DateTime.SpecifyKind(a, DateTimeKind.Utc) : null;
}
