using System.Globalization;

namespace ControlPlane.Core.DemoData;

/// <summary>Everything one generation run shares: tenant style, region, event times and independent random streams.</summary>
internal sealed class DemoGenerationContext
{
    private readonly string _slugKey;
    private readonly string _seedKey;

    public DemoGenerationContext(string useCaseKey, DemoGenerationOptions options)
    {
        UseCaseKey = useCaseKey;
        Options = options;
        _slugKey = options.TenantSlug.Trim().ToLowerInvariant();
        _seedKey = options.Seed.ToString(CultureInfo.InvariantCulture);
        Style = DemoTenantStyle.Create(_slugKey, options.Seed);
        Region = DemoRegion.For(options.Region);
        EndUtc = options.AsOfUtc;
        StartUtc = EndUtc - options.Span;
        Profile = Fork("profile");
        Rows = Fork("rows");
        Ticks = DemoEventTimeSampler.Sample(Fork("times"), options.Rows, StartUtc, EndUtc, Region.UtcOffsetHours, Style.Growth);
        DriftStartRow = options.DriftAfterUtc is { } drift ? LowerBound(Ticks, drift.Ticks) : Ticks.Length;
    }

    public string UseCaseKey { get; }

    public DemoGenerationOptions Options { get; }

    public DemoTenantStyle Style { get; }

    public DemoRegion Region { get; }

    public DateTime StartUtc { get; }

    public DateTime EndUtc { get; }

    /// <summary>Draws tenant-level parameters (weights, base rate, category mix).</summary>
    public DemoRandom Profile { get; }

    public DemoRandom Rows { get; }

    public long[] Ticks { get; }

    /// <summary>Rows are sorted by time, so drifted rows are a suffix.</summary>
    public int DriftStartRow { get; }

    public bool HasDriftedRows => DriftStartRow < Ticks.Length;

    public bool IsDrifted(int row) => row >= DriftStartRow;

    public DateTime TimeOf(int row) => new(Ticks[row], DateTimeKind.Utc);

    /// <summary>Separate streams keep, e.g., values unchanged when only the missing rate changes.</summary>
    public DemoRandom Fork(string purpose) => new(DemoStableHash.Of(_slugKey, _seedKey, UseCaseKey, purpose));

    private static int LowerBound(long[] sorted, long value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }

        return index;
    }
}
