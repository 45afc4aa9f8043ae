namespace ControlPlane.ML.Rules;

/// <summary>
/// The declarative recipe that turns one tenant's raw columns into a use case's features and label. A tenant stores only
/// its overrides; <see cref="RuleInheritance.Effective"/> merges them onto the use case's defaults. JSON property names
/// are the camelCase of these properties; see docs/feature-rules.md.
/// </summary>
public sealed record RuleSet
{
    /// <summary>How the label is found or derived. Null inherits the use case's label column.</summary>
    public LabelRule? Label { get; init; }

    /// <summary>The raw column holding the entity key. Null inherits the use case's entity key column.</summary>
    public string? EntityKey { get; init; }

    /// <summary>The raw column holding the event time. Null inherits the use case's event-time column.</summary>
    public string? EventTime { get; init; }

    /// <summary>One rule per feature, in the order they are computed: an expression may use features defined before it.</summary>
    public IReadOnlyList<FeatureRule> Features { get; init; } = [];

    /// <summary>Inherited features this tenant does without, and raw columns never to be used.</summary>
    public IReadOnlyList<string> Drop { get; init; } = [];
}

/// <summary>
/// Where the label comes from: a raw column (<see cref="Source"/>) or an expression (<see cref="Expression"/>, e.g.
/// <c>delay &gt; 15</c>). For a binary task on a text or category column, <see cref="Positive"/> lists the spellings of
/// the positive class; for a multiclass task <see cref="Values"/> maps spellings onto class names.
/// </summary>
public sealed record LabelRule
{
    public string? Source { get; init; }

    public string? Expression { get; init; }

    /// <summary>Raw columns the expression reads, when written as an explicit lambda ("(a, b) => a > b").</summary>
    public IReadOnlyList<string>? Inputs { get; init; }

    public IReadOnlyList<string>? Positive { get; init; }

    public IReadOnlyDictionary<string, string>? Values { get; init; }
}

/// <summary>One feature: where its value comes from and how it is cleaned and encoded.</summary>
public sealed record FeatureRule
{
    /// <summary>The feature's name: a use-case feature it overrides, or a new derived one.</summary>
    public required string Name { get; init; }

    /// <summary>The raw column it is read from. Null with no <see cref="Expression"/> means a raw column of the same name.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// An ML.NET expression computing the value, either a body whose identifiers are column or earlier feature names
    /// ("spend / seats") or an explicit lambda with <see cref="Inputs"/> ("(s, n) =&gt; s / n").
    /// </summary>
    public string? Expression { get; init; }

    public IReadOnlyList<string>? Inputs { get; init; }

    /// <summary>Null inherits the use case's type, or is inferred from the source column for a new feature.</summary>
    public FeatureType? Type { get; init; }

    /// <summary>Numbers only: the raw value is divided by this (60 turns minutes into hours, 100 cents into dollars).</summary>
    public double? Scale { get; init; }

    public ImputeRule? Impute { get; init; }

    public ClipRule? Clip { get; init; }

    /// <summary>Numbers only: an optional transform after imputation and clipping.</summary>
    public NumberTransform? Transform { get; init; }

    /// <summary>Upper bounds of the buckets for <see cref="NumberTransform.Bucketize"/>, ascending.</summary>
    public IReadOnlyList<double>? Buckets { get; init; }

    /// <summary>Categories and booleans: tenant spelling → canonical value ("ENT" → "enterprise", "Y" → "true").</summary>
    public IReadOnlyDictionary<string, string>? Values { get; init; }

    /// <summary>Categories only: one-hot (the default) or hashed.</summary>
    public CategoryEncoding? Encoding { get; init; }

    /// <summary>
    /// Categories only: one-hot keeps at most this many categories, the most frequent in training (default 100; the rest
    /// and unseen values encode as all zeros); hashed uses this many buckets rounded up to a power of two (default 256).
    /// </summary>
    public int? MaxCategories { get; init; }

    /// <summary>Date-times only: the parts that become numeric features. Null means <see cref="DateFeatures.DefaultParts"/>.</summary>
    public IReadOnlyList<DatePart>? DateParts { get; init; }
}

public sealed record ImputeRule
{
    public ImputeStrategy Strategy { get; init; }

    /// <summary>For <see cref="ImputeStrategy.Constant"/>: the number, or the category text.</summary>
    public string? Value { get; init; }
}

public sealed record ClipRule
{
    public double? Min { get; init; }

    public double? Max { get; init; }
}

public enum ImputeStrategy
{
    /// <summary>
    /// Numbers and date-times: the mean seen in training. Booleans: the most frequent value. Categories: a "(missing)"
    /// category. Text needs none (missing text has no n-grams).
    /// </summary>
    Default,
    Mean,
    Mode,
    Zero,
    Constant,
    Minimum,
    Maximum,
}

public enum NumberTransform
{
    None,

    /// <summary>ln(1 + x) for x ≥ 0; negative values become missing.</summary>
    Log,
    /// <summary>The bucket's index: 0 for x ≤ the first bound, 1 up to the second, …, the number of bounds above the last.</summary>
    Bucketize,
}

public enum CategoryEncoding
{
    OneHot,
    Hashed,
}

/// <summary>
/// What a date-time feature gives the model, each part one numeric slot (a cycle two: its sine and cosine). Calendar
/// parts are in UTC. See docs/feature-rules.md for the exact definitions.
/// </summary>
public enum DatePart
{
    /// <summary>The whole hour, 0–23.</summary>
    Hour,
    /// <summary>ISO 8601: 1 = Monday … 7 = Sunday (rules trained under featurization 1: 0 = Sunday … 6 = Saturday).</summary>
    DayOfWeek,
    /// <summary>1–31.</summary>
    DayOfMonth,
    /// <summary>1–12.</summary>
    Month,
    Year,
    /// <summary>The hour with its fraction, 0 ≤ h &lt; 24 (10:30 is 10.5).</summary>
    TimeOfDay,
    /// <summary>1 for January 1 … 365 or 366.</summary>
    DayOfYear,
    /// <summary>The day of year's week: 1 for January 1–7, … 53 for December 31 (not ISO 8601 weeks).</summary>
    WeekOfYear,
    /// <summary>1 on Saturday and Sunday, else 0.</summary>
    Weekend,
    /// <summary>Two slots: the sine and cosine of the time of day on a 24-hour circle (23:59 lies next to 00:00).</summary>
    DayCycle,
    /// <summary>Two slots: the sine and cosine of the time in the week on a 7-day circle.</summary>
    WeekCycle,
    /// <summary>Two slots: the sine and cosine of the time in the year on a 365.2425-day circle.</summary>
    YearCycle,
    /// <summary>Days (with fraction) since 1970-01-01 00:00 UTC: a trend.</summary>
    Elapsed,
}
