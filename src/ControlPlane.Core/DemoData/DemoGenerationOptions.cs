namespace ControlPlane.Core.DemoData;

/// <summary>What to generate for one tenant. Equal options always give byte-identical datasets.</summary>
public sealed record DemoGenerationOptions
{
    public const int MaxRows = 2_000_000;

    /// <summary>Fixed rather than "now" so that default options stay reproducible.</summary>
    public static DateTime DefaultAsOfUtc { get; } = new(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Tenant identity; together with <see cref="Seed"/> it fixes column names, formats and distributions.</summary>
    public required string TenantSlug { get; init; }

    /// <summary>"us", "eu", "apac" (prefix match, e.g. "eu-west"); anything else gets a global customer mix.</summary>
    public string Region { get; init; } = "us";

    public int Rows { get; init; } = 5000;

    public int Seed { get; init; } = 1;

    /// <summary>Exclusive end of the event-time range.</summary>
    public DateTime AsOfUtc { get; init; } = DefaultAsOfUtc;

    public TimeSpan Span { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Average share of empty feature cells; individual columns get much more or less.</summary>
    public double MissingRate { get; init; } = 0.05;

    /// <summary>
    /// Classification: share of labels replaced by a draw from the label's overall distribution.
    /// Regression: the log-scale standard deviation of the multiplicative noise is 6 × this value.
    /// </summary>
    public double LabelNoise { get; init; } = 0.05;

    /// <summary>Rows at or after this instant carry covariate drift (and concept drift if enabled).</summary>
    public DateTime? DriftAfterUtc { get; init; }

    public bool ConceptDrift { get; init; }

    internal DemoGenerationOptions Normalize()
    {
        if (string.IsNullOrWhiteSpace(TenantSlug))
        {
            throw new ArgumentException("A tenant slug is required.", nameof(TenantSlug));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(Region, nameof(Region));
        ArgumentOutOfRangeException.ThrowIfNegative(Rows, nameof(Rows));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Rows, MaxRows, nameof(Rows));
        ArgumentOutOfRangeException.ThrowIfLessThan(Span, TimeSpan.FromMinutes(1), nameof(Span));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Span, TimeSpan.FromDays(3660), nameof(Span));
        CheckRate(MissingRate, nameof(MissingRate));
        CheckRate(LabelNoise, nameof(LabelNoise));
        if (ConceptDrift && DriftAfterUtc is null)
        {
            throw new ArgumentException("Concept drift needs a DriftAfterUtc date.", nameof(ConceptDrift));
        }

        var asOf = ToUtc(AsOfUtc, nameof(AsOfUtc));
        return this with
        {
            AsOfUtc = new DateTime(asOf.Ticks - (asOf.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc),
            Span = TimeSpan.FromSeconds(Math.Floor(Span.TotalSeconds)),
            DriftAfterUtc = DriftAfterUtc is { } drift ? ToUtc(drift, nameof(DriftAfterUtc)) : null,
        };
    }

    private static void CheckRate(double value, string name)
    {
        if (double.IsNaN(value) || value < 0 || value > 0.5)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be between 0 and 0.5.");
        }
    }

    // Local times would make the output depend on the machine's time zone.
    private static DateTime ToUtc(DateTime value, string name) => value.Kind switch
    {
        DateTimeKind.Local => throw new ArgumentException("Use a UTC (or unspecified) DateTime.", name),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };
}
