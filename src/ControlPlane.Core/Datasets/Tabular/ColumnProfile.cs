using ControlPlane.ML;
using ControlPlane.Core.UseCases;

namespace ControlPlane.Core.Datasets.Tabular;

/// <summary>
/// Statistics of one column. Number fields are set for number columns, date fields for date-time columns,
/// top values for category and boolean columns; the others are null or empty.
/// </summary>
public sealed record ColumnProfile
{
    public required string Name { get; init; }

    /// <summary>The type the dataset version uses: the override when one was given, else <see cref="InferredType"/>.</summary>
    public required FeatureType Type { get; init; }

    public required FeatureType InferredType { get; init; }

    public bool IsOverridden { get; init; }

    /// <summary>Rows, including nulls.</summary>
    public required long Count { get; init; }

    public required long Nulls { get; init; }

    public double NullRate => Count == 0 ? 0 : (double)Nulls / Count;

    /// <summary>Distinct non-null values; exact unless <see cref="DistinctIsLowerBound"/> ("at least 10,000").</summary>
    public required long DistinctCount { get; init; }

    public required bool DistinctIsLowerBound { get; init; }

    /// <summary>Non-null values that do not parse as <see cref="Type"/> (always 0 for category and text).</summary>
    public required long Misfits { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public double? Mean { get; init; }

    public IReadOnlyList<HistogramBin> Histogram { get; init; } = [];

    /// <summary>Up to 10 most frequent values, most frequent first.</summary>
    public IReadOnlyList<ValueCount> TopValues { get; init; } = [];

    public DateTime? MinDate { get; init; }

    /// <summary>Date-time columns: rows per period, bounds in days since 0001-01-01 (<see cref="DayOf"/>); empty for older profiles.</summary>
    public IReadOnlyList<HistogramBin> DateHistogram { get; init; } = [];

    /// <summary>A <see cref="DateHistogram"/> bound as a date.</summary>
    public static DateTime DayOf(double days) => new(Math.Clamp((long)(days * TimeSpan.TicksPerDay), DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc);

    public DateTime? MaxDate { get; init; }

    /// <summary>Average length in characters of the non-null values.</summary>
    public double? AverageLength { get; init; }
}
