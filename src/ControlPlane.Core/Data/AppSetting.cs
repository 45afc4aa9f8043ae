namespace ControlPlane.Core.Data;

/// <summary>A small installation-wide fact, such as "the demo tenants were seeded", so it happens once in a database's life.</summary>
public sealed class AppSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTime UpdatedAt { get; set; }
}
