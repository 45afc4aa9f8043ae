using System.Collections.ObjectModel;

namespace ControlPlane.Core.DemoData;

/// <summary>
/// How one canonical column of a use case appears in a tenant's upload. This is the ground truth that
/// the mapping assistant and importer tests are checked against.
/// </summary>
public sealed record DemoColumn
{
    public required string CanonicalName { get; init; }

    public required string RawName { get; init; }

    public required DemoColumnRole Role { get; init; }

    public required DemoColumnKind Kind { get; init; }

    /// <summary>Unit the use-case definition expects (e.g. "hours", "USD"); null when unitless.</summary>
    public string? Unit { get; init; }

    /// <summary>Unit the tenant actually writes (e.g. "minutes", "USD cents").</summary>
    public string? RawUnit { get; init; }

    /// <summary>Raw value = canonical value × this factor (60 for hours written as minutes).</summary>
    public double RawPerUnit { get; init; } = 1;

    /// <summary>.NET custom format string of timestamp columns.</summary>
    public string? Format { get; init; }

    /// <summary>Canonical value → tenant spelling, for categories, booleans ("true"/"false") and class labels.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Expected share of empty cells in this column.</summary>
    public double MissingRate { get; init; }

    public double ToCanonicalNumber(double raw) => raw / RawPerUnit;

    /// <summary>Maps a tenant spelling back to the canonical value; null when the spelling is unknown.</summary>
    public string? ToCanonicalValue(string raw)
    {
        foreach (var (canonical, spelled) in Values)
        {
            if (string.Equals(spelled, raw, StringComparison.Ordinal))
            {
                return canonical;
            }
        }

        return null;
    }
}
